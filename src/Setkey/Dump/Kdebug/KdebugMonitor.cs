using System.Globalization;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.PfKey;

namespace KernelIpsec.Setkey.Dump.Kdebug;

/// <summary>
/// <c>setkey -x</c>: each PF_KEY message seen, as setkey's <c>promisc()</c> prints it: a timestamp line
/// (<c>HH:MM:SS.usec </c> in local time, or <c>sec.usec </c> with -xx), the bytes with -H, the message in
/// <see cref="KdebugFormatter"/> form and an empty line. An X_PROMISC message shows what it wraps, or (the
/// monitor's own switch-on echo) nothing after its timestamp. Over XFRM each event is shown as the PF_KEY
/// message af_key would broadcast for it.
/// </summary>
public sealed class KdebugMonitor(TextWriter stdout, TextWriter stderr, bool hexDump, bool rawTimestamps, TimeProvider time, TimeZoneInfo zone)
{
    private const int SadbMsgSize = 16;

    public void Show(KernelEvent kernelEvent)
    {
        if (SadbWire.FromEvent(kernelEvent) is not { } message)
        {
            if (kernelEvent is ResyncRequiredEvent lost)
                stderr.WriteLine($"setkey: kernel events lost: {lost.Reason}");
            return;
        }

        stdout.Write(Timestamp());
        if (hexDump)
            stdout.Write(HexDump.Format(message));
        ReadOnlySpan<byte> shown = message;
        if (message.Length >= SadbMsgSize && message[1] == (byte)SadbType.Promisc)
            shown = message.Length > SadbMsgSize ? message.AsSpan(SadbMsgSize) : [];
        if (!shown.IsEmpty)
            stdout.Write(KdebugFormatter.Format(shown) + "\n");
    }

    /// <summary>printdate(): the time line, with the reference's space before the newline.</summary>
    public string Timestamp()
    {
        var now = time.GetUtcNow();
        var micro = now.Ticks / 10 % 1_000_000;
        if (rawTimestamps)
            return string.Create(CultureInfo.InvariantCulture, $"{now.ToUnixTimeSeconds()}.{micro:000000} \n");
        var local = TimeZoneInfo.ConvertTime(now, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Hour:00}:{local.Minute:00}:{local.Second:00}.{micro:000000} \n");
    }
}
