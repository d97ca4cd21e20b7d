using System.Text.RegularExpressions;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>What the end-to-end tests look at, besides <see cref="InteropChecks"/>.</summary>
public static partial class EndToEndChecks
{
    /// <summary>One UDP datagram (port 9, discard) from one host to the other, the issue's trigger packet.</summary>
    public static void SendUdp(TestNetns from, string to) =>
        from.TryExec($"bash -c \"echo trigger > /dev/udp/{to}/9\"");

    /// <summary>Waits (without sending anything) until both sides hold at least <paramref name="count"/> ESP SAs.</summary>
    public static TimeSpan WaitForEspSas(NetnsPair pair, TimeSpan timeout, int count = 2)
    {
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < timeout)
        {
            if (InteropChecks.EspSaCount(pair.Left) >= count && InteropChecks.EspSaCount(pair.Right) >= count)
                return DateTime.UtcNow - started;
            Thread.Sleep(200);
        }
        Assert.Fail($"no {count} ESP SAs on both sides within {timeout.TotalSeconds} s: left has {InteropChecks.EspSaCount(pair.Left)}, right has {InteropChecks.EspSaCount(pair.Right)}");
        return timeout;
    }

    /// <summary>The SPIs of the ESP SAs (larval SPI-0 states left out).</summary>
    public static IReadOnlySet<string> EspSpis(TestNetns ns) =>
        EspSpi().Matches(ns.TryExec("ip xfrm state").StdOut).Select(m => m.Groups[1].Value).Where(s => s != "0x00000000").ToHashSet();

    /// <summary>tcpdump text saw ESP between the hosts and no plaintext ICMP or UDP.</summary>
    public static void AssertOnlyEspOnTheWire(string tcpdumpText)
    {
        Assert.That(tcpdumpText, Does.Contain("ESP(spi="), "ESP on the wire:\n" + tcpdumpText);
        Assert.That(tcpdumpText, Does.Not.Contain("ICMP echo"), "plaintext ICMP on the wire:\n" + tcpdumpText);
        Assert.That(tcpdumpText, Does.Not.Match(@"\.9: UDP"), "plaintext UDP on the wire:\n" + tcpdumpText);
    }

    [GeneratedRegex(@"proto esp spi (0x[0-9a-f]+)")]
    private static partial Regex EspSpi();
}
