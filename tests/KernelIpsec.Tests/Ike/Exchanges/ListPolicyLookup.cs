using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>An SPD mirror made of a list of outbound policies (what setkey's <c>-P out</c> lines install).</summary>
internal sealed class ListPolicyLookup : IPolicyLookup
{
    public List<IpsecPolicy> Policies { get; } = [];

    public IpsecPolicy? FindOutbound(TrafficSelector local, TrafficSelector remote) =>
        Policies.FirstOrDefault(p => p.Local.Equals(local) && p.Remote.Equals(remote));
}
