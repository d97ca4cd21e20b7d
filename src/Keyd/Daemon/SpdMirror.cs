using KernelIpsec.Ike.Sa;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// The daemon's copy of the kernel SPD (racoon keeps one from SPDDUMP and the SPD broadcasts): filled by a
/// dump at start and on resync, kept current from policy events, and searched by the responder for the
/// outbound policy of the traffic a peer proposes.
/// </summary>
public sealed class SpdMirror : IPolicyLookup
{
    private readonly Dictionary<PolicyId, SecurityPolicy> policies = [];

    public int Count => policies.Count;

    public IEnumerable<SecurityPolicy> Policies => policies.Values;

    public void Reset(IEnumerable<SecurityPolicy> dump)
    {
        policies.Clear();
        foreach (var policy in dump)
            policies[policy.Id] = policy;
    }

    /// <summary>Applies a policy event; false when the event is not about policies.</summary>
    public bool Apply(KernelEvent kernelEvent)
    {
        switch (kernelEvent)
        {
            case PolicyAddedEvent added:
                policies[added.Policy.Id] = added.Policy;
                return true;
            case PolicyUpdatedEvent updated:
                policies[updated.Policy.Id] = updated.Policy;
                return true;
            case PolicyDeletedEvent deleted:
                policies.Remove(deleted.Policy.Id);
                return true;
            case PolicyExpiredEvent { Hard: true } expired:
                policies.Remove(expired.Policy.Id);
                return true;
            case PoliciesFlushedEvent:
                policies.Clear();
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The outbound IPsec policy for local → remote traffic: the one whose selector is exactly these sides
    /// (racoon's getsp_r), else the most specific one that contains both.
    /// </summary>
    public IpsecPolicy? FindOutbound(TrafficSelector local, TrafficSelector remote)
    {
        SecurityPolicy? best = null;
        foreach (var policy in policies.Values)
        {
            if (policy.Direction != PolicyDirection.Out || policy.Action != PolicyAction.Allow || policy.Requests.Count == 0)
                continue;
            var (policyLocal, policyRemote) = KernelTranslation.ToIke(policy.Selector);
            if (policyLocal == local && policyRemote == remote)
                return KernelTranslation.ToIke(policy);
            if (Contains(policyLocal, local) && Contains(policyRemote, remote) &&
                (best is null || Specificity(policy) > Specificity(best)))
            {
                best = policy;
            }
        }
        return best is null ? null : KernelTranslation.ToIke(best);
    }

    private static bool Contains(TrafficSelector outer, TrafficSelector inner) =>
        outer.Network.BaseAddress.AddressFamily == inner.Network.BaseAddress.AddressFamily &&
        outer.Network.PrefixLength <= inner.Network.PrefixLength &&
        outer.Network.Contains(inner.Network.BaseAddress) &&
        (outer.Protocol == 0 || outer.Protocol == inner.Protocol) &&
        (outer.Port == 0 || outer.Port == inner.Port);

    private static int Specificity(SecurityPolicy policy) =>
        policy.Selector.Source.PrefixLength + policy.Selector.Destination.PrefixLength +
        (policy.Selector.UpperProtocol is null ? 0 : 1) + (policy.Selector.SourcePort == 0 ? 0 : 1) + (policy.Selector.DestinationPort == 0 ? 0 : 1);
}
