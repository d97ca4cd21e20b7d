using System.Globalization;
using System.Text;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.Admin;

/// <summary>
/// `racoonctl show-sa esp|ah|ipsec` output: the SAD in `setkey -D`'s record format (racoon hands the raw
/// SADB_DUMP to racoonctl, which prints it with pfkey_sadump; here the daemon renders the same lines).
/// </summary>
internal static class SadListing
{
    public static string Render(IReadOnlyList<SecurityAssociation> sas, DateTimeOffset now, TimeZoneInfo zone, int pid)
    {
        if (sas.Count == 0)
            return "";
        var text = new StringBuilder();
        for (var i = 0; i < sas.Count; i++)
        {
            var sa = sas[i];
            var natt = sa.NatTraversal;
            text.Append(sa.Id.Source).Append(natt is null ? "" : $"[{natt.SourcePort}]").Append(' ')
                .Append(sa.Id.Destination).Append(natt is null ? "" : $"[{natt.DestinationPort}]").Append(" \n");
            var satype = sa.Id.Protocol switch
            {
                IpsecProtocol.Esp => natt is null ? "esp" : "esp-udp",
                IpsecProtocol.Ah => "ah",
                _ => "ipcomp",
            };
            var mode = sa.Mode switch
            {
                IpsecMode.Tunnel => "tunnel",
                IpsecMode.Transport => "transport",
                _ => "any",
            };
            text.Append(CultureInfo.InvariantCulture, $"\t{satype} mode={mode} spi={sa.Id.Spi}(0x{sa.Id.Spi:x8}) reqid={sa.ReqId}(0x{sa.ReqId:x8})\n");
            if (natt?.OriginalAddress is { } oa)
                text.Append(CultureInfo.InvariantCulture, $"\tNAT OA={oa}\n");
            if (sa.Encryption is { } enc)
                text.Append(CultureInfo.InvariantCulture, $"\tE: {enc.Algorithm.Name} ").Append(Hex(enc.Key.Span)).Append('\n');
            if (sa.Authentication is { } auth)
                text.Append(CultureInfo.InvariantCulture, $"\tA: {auth.Algorithm.Name} ").Append(Hex(auth.Key.Span)).Append('\n');
            if (sa.Compression is { } comp)
                text.Append(CultureInfo.InvariantCulture, $"\tC: {comp.Algorithm.Name} ");
            var current = sa.Current;
            var state = sa.Encryption is null && sa.Authentication is null && sa.Compression is null && sa.Aead is null ? "larval" : "mature";
            text.Append(CultureInfo.InvariantCulture, $"\tseq=0x00000000 replay={sa.ReplayWindow} flags=0x00000000 state={state} \n");
            var added = current?.Added is { } a && a.ToUnixTimeSeconds() != 0 ? a : (DateTimeOffset?)null;
            text.Append("\tcreated: ").Append(added is { } at ? Time(at, zone) : new string(' ', 20))
                .Append("\tcurrent: ").Append(Time(now, zone)).Append('\n');
            var diff = added is { } since ? (long)(now - since).TotalSeconds : 0;
            text.Append(CultureInfo.InvariantCulture, $"\tdiff: {diff}(s)\thard: {sa.Lifetime.Hard.AddSeconds}(s)\tsoft: {sa.Lifetime.Soft.AddSeconds}(s)\n");
            var used = current?.LastUsed;
            text.Append("\tlast: ").Append(used is { } u && u.ToUnixTimeSeconds() != 0 ? Time(u, zone) : new string(' ', 20))
                .Append(CultureInfo.InvariantCulture, $"\thard: {sa.Lifetime.Hard.UseSeconds}(s)\tsoft: {sa.Lifetime.Soft.UseSeconds}(s)\n");
            text.Append(CultureInfo.InvariantCulture, $"\tcurrent: {current?.Bytes ?? 0}(bytes)\thard: {sa.Lifetime.Hard.Bytes}(bytes)\tsoft: {sa.Lifetime.Soft.Bytes}(bytes)\n");
            text.Append(CultureInfo.InvariantCulture, $"\tallocated: {current?.Packets ?? 0}\thard: {sa.Lifetime.Hard.Packets}\tsoft: {sa.Lifetime.Soft.Packets}\n");
            text.Append(CultureInfo.InvariantCulture, $"\tsadb_seq={(i == sas.Count - 1 ? 0 : i + 1)} pid={pid} refcnt=0\n");
        }
        return text.ToString();
    }

    /// <summary>ipsec_hexdump: a space before every 4th byte, a bare newline after every 32 bytes.</summary>
    private static string Hex(ReadOnlySpan<byte> key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            if (i % 4 == 0)
                text.Append(' ');
            text.Append(CultureInfo.InvariantCulture, $"{key[i]:x2}");
            if (i % 32 == 31 && i != key.Length - 1)
                text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>ctime(3) without the weekday: <c>Nov  3 09:05:07 2026</c>.</summary>
    private static string Time(DateTimeOffset time, TimeZoneInfo zone)
    {
        var t = TimeZoneInfo.ConvertTime(time, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{t:MMM} {t.Day,2} {t:HH:mm:ss yyyy}");
    }
}
