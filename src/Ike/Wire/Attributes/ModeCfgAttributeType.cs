namespace KernelIpsec.Ike.Wire;

/// <summary>
/// Attributes of the ATTR payload: mode-config (draft-dukes-ike-mode-cfg-02 §3.3 / RFC 2408
/// style), XAuth (draft-beaulieu-ike-xauth-02 §6.1) and Cisco Unity (as racoon's isakmp_unity.h).
/// </summary>
public enum ModeCfgAttributeType : ushort
{
    InternalIp4Address = 1,
    InternalIp4Netmask = 2,
    InternalIp4Dns = 3,
    InternalIp4Nbns = 4,
    InternalAddressExpiry = 5,
    InternalIp4Dhcp = 6,
    ApplicationVersion = 7,
    InternalIp6Address = 8,
    InternalIp6Netmask = 9,
    InternalIp6Dns = 10,
    InternalIp6Nbns = 11,
    InternalIp6Dhcp = 12,
    InternalIp4Subnet = 13,
    SupportedAttributes = 14,
    InternalIp6Subnet = 15,

    XauthType = 16520,
    XauthUserName = 16521,
    XauthUserPassword = 16522,
    XauthPasscode = 16523,
    XauthMessage = 16524,
    XauthChallenge = 16525,
    XauthDomain = 16526,
    XauthStatus = 16527,
    XauthNextPin = 16528,
    XauthAnswer = 16529,

    UnityBanner = 28672,
    UnitySavePassword = 28673,
    UnityDefaultDomain = 28674,
    UnitySplitDnsName = 28675,
    UnitySplitInclude = 28676,
    UnityNattPort = 28677,
    UnityLocalLan = 28678,
    UnityPfs = 28679,
    UnityFirewallType = 28680,
    UnityBackupServers = 28681,
    UnityDdnsHostname = 28682,
}

/// <summary>ATTR payload message types (draft-dukes-ike-mode-cfg-02 §3.2).</summary>
public enum ModeCfgMessageType : byte
{
    Request = 1,
    Reply = 2,
    Set = 3,
    Acknowledge = 4,
}
