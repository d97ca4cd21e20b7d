using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// The SAs this daemon put into the kernel (and has not seen go). On exit only these are removed: racoon
/// flushes the whole SAD on SIGTERM, manual setkey SAs included; this daemon leaves other people's SAs alone.
/// </summary>
public sealed class InstalledSas
{
    private readonly Dictionary<(System.Net.IPAddress Destination, uint Spi, IpsecProtocol Protocol), SaId> ids = [];

    public int Count => ids.Count;

    public IEnumerable<SaId> All => ids.Values;

    public void Add(SaId id) => ids[Key(id)] = id;

    public bool Remove(SaId id) => ids.Remove(Key(id));

    public bool Contains(SaId id) => ids.ContainsKey(Key(id));

    public void RemoveProtocol(IpsecProtocol? protocol)
    {
        foreach (var key in ids.Keys.Where(k => protocol is null || k.Protocol == protocol).ToList())
            ids.Remove(key);
    }

    private static (System.Net.IPAddress, uint, IpsecProtocol) Key(SaId id) => (id.Destination, id.Spi, id.Protocol);
}
