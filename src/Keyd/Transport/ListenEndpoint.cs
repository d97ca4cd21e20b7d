using System.Net;

namespace KernelIpsec.Keyd.Transport;

/// <summary>A UDP socket the daemon keeps open: address and port, and whether it is the NAT-T (4500-style) one.</summary>
public sealed record ListenEndpoint(IPEndPoint EndPoint, bool NatTraversal)
{
    public override string ToString() => $"{EndPoint.Address}[{EndPoint.Port}]{(NatTraversal ? " (NAT-T)" : "")}";
}
