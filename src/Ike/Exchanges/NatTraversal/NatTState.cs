using System.Net;

namespace KernelIpsec.Ike.Exchanges.NatTraversal;

/// <summary>
/// What one ISAKMP SA knows about NAT traversal: the dialect agreed from the vendor IDs, what the NAT-D payloads
/// showed (racoon's NAT_DETECTED_ME / NAT_DETECTED_PEER), and whether IKE has moved to the NAT-T port.
/// </summary>
internal sealed class NatTState
{
    /// <summary>The dialect both sides announced (None: the peer sent no NAT-T vendor ID, or nat_traversal off).</summary>
    public NatTVersion Version { get; set; }

    /// <summary>Our address or port differs from what the peer saw: a NAT is in front of us (we send keepalives).</summary>
    public bool WeBehindNat { get; set; }

    /// <summary>The peer's address or port differs from what it sent: a NAT is in front of it.</summary>
    public bool PeerBehindNat { get; set; }

    /// <summary>The NAT-D payloads were compared (main mode message 3/4, aggressive mode 2/3).</summary>
    public bool Detected { get; set; }

    /// <summary>IKE talks on the NAT-T port now (after the float, or from the start when the peer began there).</summary>
    public bool Floated { get; set; }

    /// <summary>Where phase 1 began (port 500 on both sides) before IKE floated: the NAT-D hashes are about these.</summary>
    public IPEndPoint? OriginalLocal { get; set; }

    public IPEndPoint? OriginalPeer { get; set; }

    /// <summary>A NAT was found (or forced): quick modes negotiate UDP encapsulation, ESP goes in UDP.</summary>
    public bool InUse => Version != NatTVersion.None && (WeBehindNat || PeerBehindNat);
}
