using System.Globalization;
using System.Net;
using System.Text;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>racoonctl's printouts (`racoonctl.c` print_isakmp_sa, print_schedule, fixed_addr).</summary>
internal static class RacoonctlFormat
{
    /// <summary><c>addr.port</c> padded with spaces or cut to <paramref name="width"/> characters.</summary>
    public static string FixedAddress(IPEndPoint endpoint, int width)
    {
        var text = $"{endpoint.Address}.{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        return text.Length >= width ? text[..width] : text.PadRight(width);
    }

    public static char ExchangeLetter(byte exchangeType) => exchangeType switch
    {
        1 => 'B',
        2 => 'M',
        3 => 'U',
        4 => 'A',
        5 => 'I',
        _ => '?',
    };

    /// <summary>`show-sa isakmp` with 0, 1 (-l) or 2 (-ll) long-format levels; times in local time.</summary>
    public static string Isakmp(IReadOnlyList<Ph1Dump> dumps, int longFormat, TimeZoneInfo zone)
    {
        var addressWidth = longFormat >= 2 ? 45 : 22;
        var text = new StringBuilder();
        if (longFormat >= 2)
            text.Append("Source".PadRight(addressWidth)).Append(' ');
        text.Append("Destination".PadRight(addressWidth)).Append(' ');
        text.Append("Cookies".PadRight(33)).Append(' ');
        text.Append(longFormat > 0 ? "ST S  V E Created             Phase2\n" : "Created\n");
        foreach (var d in dumps)
        {
            if (longFormat >= 2)
                text.Append(FixedAddress(d.Local, addressWidth)).Append(' ');
            text.Append(FixedAddress(d.Remote, addressWidth)).Append(' ');
            text.Append(CultureInfo.InvariantCulture, $"{d.InitiatorCookie:x16}:{d.ResponderCookie:x16} ");
            if (longFormat > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{d.Status,2} {(d.Side == Ph1Dump.SideInitiator ? 'I' : 'R')} {d.Version,2:x} {ExchangeLetter(d.ExchangeType)} ");
            }
            text.Append(d.Created == 0 ? new string(' ', 19) : Time(d.Created, zone)).Append(' ');
            if (longFormat > 0)
                text.Append(CultureInfo.InvariantCulture, $"{d.Phase2Count,6} ");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>`show-schedule`: <c>%-8ld %-8ld %-8ld %s</c> of index, tick, xtime, created.</summary>
    public static string Schedule(IReadOnlyList<SchedDump> dumps, TimeZoneInfo zone)
    {
        var text = new StringBuilder("index    tick     xtime    created\n");
        foreach (var d in dumps)
        {
            text.Append(CultureInfo.InvariantCulture, $"{d.Id,-8} {d.Tick,-8} {d.FireTime,-8} {Time(d.Created, zone)}\n");
        }
        return text.ToString();
    }

    private static string Time(long unixSeconds, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
