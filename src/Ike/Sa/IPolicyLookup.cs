namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The responder's view of the SPD (racoon <c>getsp_r</c>): the outbound policy for the traffic a peer
/// proposes in quick mode, or null when there is none (the exchange then fails: no policy found).
/// </summary>
public interface IPolicyLookup
{
    IpsecPolicy? FindOutbound(TrafficSelector local, TrafficSelector remote);
}
