using System.Text.RegularExpressions;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// Daemon-agnostic checks of a negotiated pair, as a user would check by hand:
/// SAs in both kernels, the mode, ping through, ESP counters moving.
/// </summary>
public static partial class InteropChecks
{
    /// <summary>
    /// Source and destination for the trigger/ping traffic of a variant, seen from one side: in transport
    /// mode the sender's own address and the other side's address as the sender sees it (natbox's
    /// 10.77.0.3 for the side behind the NAT).
    /// </summary>
    public static (string From, string To) TrafficEndpoints(InteropVariant v, bool fromLeft) => v.Mode == "tunnel"
        ? (fromLeft ? ("10.77.1.1", "10.77.2.1") : ("10.77.2.1", "10.77.1.1"))
        : (v.Addresses.Own(fromLeft), v.Addresses.Seen(!fromLeft));

    /// <summary>Counts ESP SAs with a real SPI (larval SPI-0 states are not counted).</summary>
    public static int EspSaCount(TestNetns ns) =>
        EspSpi().Matches(ns.TryExec("ip xfrm state").StdOut).Count(m => m.Groups[1].Value != "0x00000000");

    /// <summary>Sends one trigger ping and waits until both sides hold at least two ESP SAs.</summary>
    public static TimeSpan TriggerAndWaitForSas(NetnsPair pair, InteropVariant v, bool fromLeft, TimeSpan timeout)
    {
        var (from, to) = TrafficEndpoints(v, fromLeft);
        var ns = fromLeft ? pair.Left : pair.Right;
        var started = DateTime.UtcNow;
        ns.TryExec($"ping -c 1 -W 1 -I {from} {to}");
        while (DateTime.UtcNow - started < timeout)
        {
            if (EspSaCount(pair.Left) >= 2 && EspSaCount(pair.Right) >= 2)
                return DateTime.UtcNow - started;
            Thread.Sleep(200);
        }
        Assert.Fail($"no ESP SA pair within {timeout.TotalSeconds} s: left has {EspSaCount(pair.Left)}, right has {EspSaCount(pair.Right)}\n" +
                    $"left:\n{pair.Left.TryExec("ip xfrm state").StdOut}\nright:\n{pair.Right.TryExec("ip xfrm state").StdOut}");
        return timeout;
    }

    /// <summary>Asserts the SA mode on both sides, 5/5 pings, and that ESP counters grew.</summary>
    public static void AssertTrafficProtected(NetnsPair pair, InteropVariant v, bool fromLeft)
    {
        foreach (var ns in new[] { pair.Left, pair.Right })
            Assert.That(ns.Exec("ip xfrm state"), Does.Contain($"mode {v.Mode}"), $"SA mode in {ns.Name}");

        var before = EspPackets(pair.Right);
        var (from, to) = TrafficEndpoints(v, fromLeft);
        var ping = (fromLeft ? pair.Left : pair.Right).TryExec($"ping -c 5 -i 0.2 -W 2 -I {from} {to}");
        Assert.That(ping.StdOut, Does.Contain("5 received"), "ping through the SAs: " + ping.StdOut + ping.StdErr);
        Assert.That(EspPackets(pair.Right), Is.GreaterThanOrEqualTo(before + 10), "ESP packet counters in right (5 in, 5 out)");
    }

    /// <summary>Sum of the packet counters of all ESP SAs (`ip -s xfrm state`).</summary>
    public static long EspPackets(TestNetns ns)
    {
        long total = 0;
        var text = ns.TryExec("ip -s xfrm state").StdOut;
        foreach (Match m in LifetimeCurrent().Matches(text))
            total += long.Parse(m.Groups[1].Value);
        return total;
    }

    [GeneratedRegex(@"proto esp spi (0x[0-9a-f]+)")]
    private static partial Regex EspSpi();

    [GeneratedRegex(@"lifetime current:\s*\n\s*\d+\(bytes\), (\d+)\(packets\)")]
    private static partial Regex LifetimeCurrent();
}
