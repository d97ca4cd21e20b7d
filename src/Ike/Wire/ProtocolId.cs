namespace KernelIpsec.Ike.Wire;

/// <summary>Protocol identifiers (RFC 2407 §4.4.1) used in Proposal, Notification and Delete payloads.</summary>
public enum ProtocolId : byte
{
    Reserved = 0,
    Isakmp = 1,
    IpsecAh = 2,
    IpsecEsp = 3,
    IpComp = 4,
}
