using KernelIpsec.Keyd.State;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// The SAs this daemon put into the kernel (and has not seen go): larval ones from SPI allocation and
/// established ones with their parameters. On exit only these are removed: racoon flushes the whole SAD on
/// SIGTERM, manual setkey SAs included; this daemon leaves other people's SAs alone. Every change is written
/// through the <see cref="SaJournal"/> (crash clean-up list, `path backupsa`).
/// </summary>
public sealed class InstalledSas(SaJournal? journal = null, TimeProvider? time = null)
{
    private readonly Dictionary<(System.Net.IPAddress Destination, uint Spi, IpsecProtocol Protocol), SaId> ids = [];
    private readonly Dictionary<(System.Net.IPAddress Destination, uint Spi, IpsecProtocol Protocol), BackupSaLine> established = [];
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public int Count => ids.Count;

    public IEnumerable<SaId> All => ids.Values;

    /// <summary>The established SAs, with when they were installed (what `path backupsa` holds).</summary>
    public IEnumerable<BackupSaLine> Established => established.Values;

    /// <summary>A larval SA (an allocated SPI).</summary>
    public void Add(SaId id)
    {
        ids[Key(id)] = id;
        Save();
    }

    /// <summary>An established SA, installed now (with the lifetime it was installed with).</summary>
    public void Add(SecurityAssociation sa)
    {
        ids[Key(sa.Id)] = sa.Id;
        established[Key(sa.Id)] = new BackupSaLine(clock.GetUtcNow(), sa);
        Save();
    }

    /// <summary>An established SA changed in place (new encapsulation ports): it keeps the time it was installed at, as the kernel keeps its add time.</summary>
    public void Replace(SecurityAssociation sa)
    {
        var created = established.TryGetValue(Key(sa.Id), out var before) ? before.Created : clock.GetUtcNow();
        ids[Key(sa.Id)] = sa.Id;
        established[Key(sa.Id)] = new BackupSaLine(created, sa);
        Save();
    }

    public bool Remove(SaId id)
    {
        established.Remove(Key(id));
        if (!ids.Remove(Key(id)))
            return false;
        Save();
        return true;
    }

    /// <summary>Where our SA of this protocol and SPI from <paramref name="source"/> ends (us), or null when it is not ours.</summary>
    public System.Net.IPAddress? DestinationOf(IpsecProtocol protocol, uint spi, System.Net.IPAddress source) =>
        ids.Values.FirstOrDefault(id => id.Protocol == protocol && id.Spi == spi && id.Source.Equals(source))?.Destination;

    public bool Contains(SaId id) => ids.ContainsKey(Key(id));

    public void RemoveProtocol(IpsecProtocol? protocol)
    {
        var gone = ids.Keys.Where(k => protocol is null || k.Protocol == protocol).ToList();
        foreach (var key in gone)
        {
            ids.Remove(key);
            established.Remove(key);
        }
        if (gone.Count > 0)
            Save();
    }

    /// <summary>Clean exit, every SA removed: the journal's files go too.</summary>
    public void Closed()
    {
        ids.Clear();
        established.Clear();
        journal?.Clear();
    }

    private void Save() => journal?.Save(ids.Values, established.Values);

    private static (System.Net.IPAddress, uint, IpsecProtocol) Key(SaId id) => (id.Destination, id.Spi, id.Protocol);
}
