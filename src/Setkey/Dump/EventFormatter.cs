using System.Globalization;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Setkey.Dump;

/// <summary>
/// <c>setkey -x</c>: each kernel event with a timestamp line (<c>HH:MM:SS.usec</c> local time, or
/// <c>sec.usec</c> with -xx), then the PF_KEY message it corresponds to and the entry in the
/// -D/-DP record format.
/// </summary>
public sealed class EventFormatter
{
    private readonly DumpFormatter records;
    private readonly DumpOptions options;
    private readonly bool rawTimestamps;

    public EventFormatter(DumpOptions options, bool rawTimestamps)
    {
        this.options = options;
        records = new DumpFormatter(options);
        this.rawTimestamps = rawTimestamps;
    }

    public string Format(KernelEvent kernelEvent)
    {
        var now = options.Time.GetUtcNow();
        var stamp = rawTimestamps
            ? string.Create(CultureInfo.InvariantCulture, $"{now.ToUnixTimeSeconds()}.{now.Ticks / 10 % 1_000_000:000000}")
            : TimeZoneInfo.ConvertTime(now, options.TimeZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture)
              + string.Create(CultureInfo.InvariantCulture, $".{now.Ticks / 10 % 1_000_000:000000}");
        return stamp + "\n" + Body(kernelEvent);
    }

    private string Body(KernelEvent e) => e switch
    {
        SaAddedEvent a => "SADB_ADD\n" + Sa(a.Sa),
        SaUpdatedEvent u => "SADB_UPDATE\n" + Sa(u.Sa),
        SaDeletedEvent d => "SADB_DELETE\n" + Sa(d.Sa),
        SaExpiredEvent x => (x.Hard ? "SADB_EXPIRE hard\n" : "SADB_EXPIRE soft\n") + Sa(x.Sa),
        SasFlushedEvent f => "SADB_FLUSH " + (f.Protocol?.ToString().ToLowerInvariant() ?? "all") + "\n",
        PolicyAddedEvent a => "SADB_X_SPDADD\n" + Policy(a.Policy),
        PolicyUpdatedEvent u => "SADB_X_SPDUPDATE\n" + Policy(u.Policy),
        PolicyDeletedEvent d => "SADB_X_SPDDELETE\n" + Policy(d.Policy),
        PolicyExpiredEvent x => (x.Hard ? "SADB_X_SPDEXPIRE hard\n" : "SADB_X_SPDEXPIRE soft\n") + Policy(x.Policy),
        PoliciesFlushedEvent => "SADB_X_SPDFLUSH\n",
        AcquireEvent a => string.Create(CultureInfo.InvariantCulture,
            $"SADB_ACQUIRE {a.Protocol.ToString().ToLowerInvariant()} {a.Source} -> {a.Destination} seq={a.Sequence}\n") + Policy(a.Policy),
        ResyncRequiredEvent r => "events lost: " + r.Reason + "\n",
        KernelIpsec.Netlink.PfKey.PfKeyMessageEvent m => m.Meaning is { } meaning && m.Errno == 0
            ? Body(meaning)
            : string.Create(CultureInfo.InvariantCulture, $"{m.TypeName} satype={m.SaType} errno={m.Errno} seq={m.Sequence} pid={m.Pid}\n"),
        _ => e.GetType().Name + "\n",
    };

    private string Sa(SecurityAssociation sa) => records.FormatSas([sa]);

    private string Policy(SecurityPolicy policy) => records.FormatPolicies([policy]);
}
