using System.Net;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// Where an ISAKMP SA talks: our address and the peer's. The peer's endpoint is settable because it moves when a
/// NAT in between changes its mapping (NAT-T floats to port 4500 and follows the peer's source); the addresses
/// that identify the peer stay those it was first seen with.
/// </summary>
internal sealed class PeerEndpoints
{
    public PeerEndpoints(IPEndPoint local, IPEndPoint peer)
    {
        Local = local;
        Peer = peer;
    }

    public IPEndPoint Local { get; set; }

    public IPEndPoint Peer { get; set; }
}
