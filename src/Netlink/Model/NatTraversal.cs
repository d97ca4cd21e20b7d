using System.Net;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// UDP encapsulation of an ESP SA behind NAT (XFRM <c>XFRMA_ENCAP</c>; PF_KEY NAT_T_TYPE/SPORT/DPORT/OA).
/// </summary>
/// <param name="Type">Encapsulation format.</param>
/// <param name="SourcePort">UDP source port (usually 4500).</param>
/// <param name="DestinationPort">UDP destination port.</param>
/// <param name="OriginalAddress">The peer's original address before NAT (for checksum fix-ups), if known.</param>
public sealed record NatTraversal(EncapsulationType Type, ushort SourcePort, ushort DestinationPort, IPAddress? OriginalAddress = null)
{
    public override string ToString() => $"encap {Type} {SourcePort} {DestinationPort}" + (OriginalAddress is null ? "" : $" oa {OriginalAddress}");
}
