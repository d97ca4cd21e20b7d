using System.Net;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// The IPsec SA pairs installed and not deleted since, indexed by SPI (EXPIRE and DELETE find their pair in O(1)),
/// by peer address (INITIAL-CONTACT, dead peer) and by policy (a rekey finds the pair it replaces). Listing keeps
/// installation order.
/// </summary>
internal sealed class InstalledSaTable
{
    private readonly Dictionary<SpiKey, InstalledSa> byInboundSpi = [];
    private readonly Dictionary<SpiKey, InstalledSa> byOutboundSpi = [];
    private readonly Dictionary<IPAddress, List<InstalledSa>> byPeer = [];
    private readonly Dictionary<PolicyKey, List<InstalledSa>> byPolicy = [];
    private long nextSequence;

    public int Count => byInboundSpi.Count;

    public InstalledSa Add(InstalledSa entry)
    {
        entry = entry with { Sequence = ++nextSequence };
        var p = entry.Pair;
        byInboundSpi[new SpiKey(p.Protocol, p.InboundSpi, p.LocalAddress)] = entry;
        byOutboundSpi[new SpiKey(p.Protocol, p.OutboundSpi, p.RemoteAddress)] = entry;
        ListOf(byPeer, p.RemoteAddress).Add(entry);
        ListOf(byPolicy, PolicyKey.Of(entry.Policy)).Add(entry);
        return entry;
    }

    public void Remove(InstalledSa entry)
    {
        var p = entry.Pair;
        RemoveIf(byInboundSpi, new SpiKey(p.Protocol, p.InboundSpi, p.LocalAddress), entry);
        RemoveIf(byOutboundSpi, new SpiKey(p.Protocol, p.OutboundSpi, p.RemoteAddress), entry);
        RemoveFrom(byPeer, p.RemoteAddress, entry);
        RemoveFrom(byPolicy, PolicyKey.Of(entry.Policy), entry);
    }

    /// <summary>The pair one of whose SAs the kernel expired: ours by (SPI, our address), the peer's by (SPI, its address).</summary>
    public InstalledSa? FindBySpi(IpsecSaProtocol protocol, uint spi, IPAddress destination)
    {
        byInboundSpi.TryGetValue(new SpiKey(protocol, spi, destination), out var inbound);
        byOutboundSpi.TryGetValue(new SpiKey(protocol, spi, destination), out var outbound);
        return inbound is null ? outbound : outbound is null || inbound.Sequence < outbound.Sequence ? inbound : outbound;
    }

    /// <summary>The pair whose outbound SA (the peer's inbound) has this SPI towards <paramref name="peer"/>.</summary>
    public InstalledSa? FindOutbound(IpsecSaProtocol protocol, uint spi, IPAddress peer) =>
        byOutboundSpi.TryGetValue(new SpiKey(protocol, spi, peer), out var entry) ? entry : null;

    /// <summary>The pairs with a peer, in installation order.</summary>
    public IReadOnlyList<InstalledSa> WithPeer(IPAddress peer) => byPeer.TryGetValue(peer, out var list) ? list : [];

    /// <summary>The pairs keying a policy's traffic, in installation order.</summary>
    public IReadOnlyList<InstalledSa> ForPolicy(IpsecPolicy policy) => byPolicy.TryGetValue(PolicyKey.Of(policy), out var list) ? list : [];

    /// <summary>Every pair in installation order; O(n log n), never on a per-packet path.</summary>
    public List<InstalledSa> All() => [.. byInboundSpi.Values.OrderBy(e => e.Sequence)];

    public void Clear()
    {
        byInboundSpi.Clear();
        byOutboundSpi.Clear();
        byPeer.Clear();
        byPolicy.Clear();
    }

    private static List<InstalledSa> ListOf<TKey>(Dictionary<TKey, List<InstalledSa>> index, TKey key) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        return list;
    }

    private static void RemoveFrom<TKey>(Dictionary<TKey, List<InstalledSa>> index, TKey key, InstalledSa entry) where TKey : notnull
    {
        if (index.TryGetValue(key, out var list))
        {
            var at = list.FindIndex(e => ReferenceEquals(e, entry));
            if (at >= 0)
            {
                list.RemoveAt(at);
            }
            if (list.Count == 0)
            {
                index.Remove(key);
            }
        }
    }

    private static void RemoveIf(Dictionary<SpiKey, InstalledSa> index, SpiKey key, InstalledSa entry)
    {
        if (index.TryGetValue(key, out var found) && ReferenceEquals(found, entry))
        {
            index.Remove(key);
        }
    }

    private readonly record struct SpiKey(IpsecSaProtocol Protocol, uint Spi, IPAddress Address);
}
