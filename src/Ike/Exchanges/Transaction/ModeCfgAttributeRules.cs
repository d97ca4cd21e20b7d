using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Transaction;

/// <summary>
/// What an ATTR payload may hold before anything acts on it: types defined by the mode-config and XAuth drafts or
/// Cisco Unity, each no longer than its type allows, and no type twice unless it is a list (DNS, NBNS, subnets).
/// A REQUEST naming a type we do not know is answered without it (racoon's "Ignored attribute"): clients ask for
/// vendor attributes; anywhere else an unknown type refuses the whole message.
/// </summary>
internal static class ModeCfgAttributeRules
{
    private const int MaxName = 255;
    private const int MaxText = 4096;

    /// <summary>Throws (changing nothing) when the payload breaks a rule; returns the unknown types a REQUEST may skip.</summary>
    public static IReadOnlyList<ushort> Check(AttributePayload payload)
    {
        var seen = new HashSet<ushort>();
        var unknown = new List<ushort>();
        foreach (var a in payload.Attributes)
        {
            var type = (ModeCfgAttributeType)a.Type;
            if (!Enum.IsDefined(type))
            {
                if (payload.MessageType != ModeCfgMessageType.Request)
                {
                    throw ExchangeException.Drop($"{payload.MessageType} with unknown attribute type {a.Type}", NotifyType.AttributesNotSupported);
                }
                unknown.Add(a.Type);
                continue;
            }
            if (!seen.Add(a.Type) && !IsList(type))
            {
                throw ExchangeException.Drop($"{payload.MessageType} with attribute {type} more than once", NotifyType.PayloadMalformed);
            }
            if (!a.IsBasic && a.VariableValue.Length > MaxLength(type))
            {
                throw ExchangeException.Drop($"{payload.MessageType} with attribute {type} of {a.VariableValue.Length} bytes, at most {MaxLength(type)} allowed", NotifyType.PayloadMalformed);
            }
            if (!a.IsBasic && a.VariableValue.Length > 0 && !LengthFits(type, a.VariableValue.Length))
            {
                throw ExchangeException.Drop($"{payload.MessageType} with attribute {type} of {a.VariableValue.Length} bytes, not a valid length for it", NotifyType.PayloadMalformed);
            }
        }
        return unknown;
    }

    /// <summary>Types a REPLY or SET may carry several times (one address each), as racoon sends DNS and WINS servers.</summary>
    public static bool IsList(ModeCfgAttributeType type) => type is ModeCfgAttributeType.InternalIp4Dns or ModeCfgAttributeType.InternalIp4Nbns
        or ModeCfgAttributeType.InternalIp4Subnet or ModeCfgAttributeType.InternalIp4Dhcp or ModeCfgAttributeType.InternalIp6Dns
        or ModeCfgAttributeType.InternalIp6Nbns or ModeCfgAttributeType.InternalIp6Subnet or ModeCfgAttributeType.InternalIp6Dhcp;

    private static int MaxLength(ModeCfgAttributeType type) => type switch
    {
        ModeCfgAttributeType.InternalIp4Address or ModeCfgAttributeType.InternalIp4Netmask or ModeCfgAttributeType.InternalIp4Dns
            or ModeCfgAttributeType.InternalIp4Nbns or ModeCfgAttributeType.InternalIp4Dhcp or ModeCfgAttributeType.InternalAddressExpiry => 4,
        ModeCfgAttributeType.InternalIp4Subnet => 8,
        ModeCfgAttributeType.InternalIp6Address or ModeCfgAttributeType.InternalIp6Subnet => 17,
        ModeCfgAttributeType.InternalIp6Netmask or ModeCfgAttributeType.InternalIp6Dns or ModeCfgAttributeType.InternalIp6Nbns
            or ModeCfgAttributeType.InternalIp6Dhcp => 16,
        ModeCfgAttributeType.XauthType or ModeCfgAttributeType.XauthStatus or ModeCfgAttributeType.UnitySavePassword
            or ModeCfgAttributeType.UnityPfs or ModeCfgAttributeType.UnityNattPort or ModeCfgAttributeType.UnityFirewallType => 4,
        ModeCfgAttributeType.UnitySplitInclude or ModeCfgAttributeType.UnityLocalLan => UnityNetworks.EntrySize * 64,
        ModeCfgAttributeType.XauthUserName or ModeCfgAttributeType.XauthUserPassword or ModeCfgAttributeType.XauthPasscode
            or ModeCfgAttributeType.XauthDomain or ModeCfgAttributeType.XauthNextPin or ModeCfgAttributeType.XauthAnswer => MaxName,
        _ => MaxText,
    };

    private static bool LengthFits(ModeCfgAttributeType type, int length) => type switch
    {
        ModeCfgAttributeType.InternalIp4Address or ModeCfgAttributeType.InternalIp4Netmask or ModeCfgAttributeType.InternalIp4Dns
            or ModeCfgAttributeType.InternalIp4Nbns or ModeCfgAttributeType.InternalIp4Dhcp => length == 4,
        ModeCfgAttributeType.InternalIp4Subnet => length == 8,
        ModeCfgAttributeType.UnitySplitInclude or ModeCfgAttributeType.UnityLocalLan => length % UnityNetworks.EntrySize == 0,
        _ => true,
    };
}
