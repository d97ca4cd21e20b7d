using System.Text.RegularExpressions;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Short IPsec SA lifetimes between two of our racoons: the initiator renegotiates at the soft
/// expire (80 % of the hard lifetime), the old SAs go at the hard expire, and a steady ping
/// keeps getting through across two rekeys.
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public partial class RekeyTests : EndToEndRig
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    [Test]
    public void TrafficKeepsFlowingAcrossTwoRekeysAndOldSasAreRemoved()
    {
        StartRig();
        var variant = InteropVariant.Psk3des;
        var left = RacoonSideConfig.Write(Path.Combine(StateDirectory, "left"), variant, isLeft: true, null, Lifetime);
        var right = RacoonSideConfig.Write(Path.Combine(StateDirectory, "right"), variant, isLeft: false, null, Lifetime);
        LoadPolicies(Pair.Left, left.SetkeyConf);
        LoadPolicies(Pair.Right, right.SetkeyConf);
        StartRacoon(left: true, left.RacoonConf);
        StartRacoon(left: false, right.RacoonConf);

        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: true, TimeSpan.FromSeconds(120));
        var established = DateTime.UtcNow;
        var first = EndToEndChecks.EspSpis(Pair.Left);
        Assert.That(first, Has.Count.EqualTo(2), "one SA pair after the first negotiation");
        var sad = Pair.Left.Exec("ip -s xfrm state");
        Assert.That(sad, Does.Contain($"expire add: soft {(int)(Lifetime.TotalSeconds * 0.8)}(sec), hard {(int)Lifetime.TotalSeconds}(sec)"),
            "sainfo's lifetime as the hard limit, 80 % of it as the soft one (racoon's rate):\n" + sad);

        // Two rekeys: soft expires at ~24 s and ~48 s after the first SAs; the second pair's hard
        // expire at ~54 s. 140 pings at 0.5 s cover 70 s.
        var ping = Task.Run(() => Pair.Left.TryExec($"ping -c 140 -i 0.5 -W 1 {NetnsPair.RightAddress}"));
        var seen = new HashSet<string>(first);
        while (!ping.IsCompleted)
        {
            seen.UnionWith(EndToEndChecks.EspSpis(Pair.Left));
            Thread.Sleep(1000);
        }
        var result = ping.Result;
        var (sent, received) = PingCounts(result.StdOut);
        TestContext.Out.WriteLine($"ping across the rekeys: {received}/{sent}; {seen.Count} SPIs seen in left over {(DateTime.UtcNow - established).TotalSeconds:F0} s");

        Assert.That(sent, Is.EqualTo(140), result.StdOut + result.StdErr);
        Assert.That(received, Is.GreaterThanOrEqualTo(sent - 3), "at most a packet or two lost while an SA pair is replaced:\n" + result.StdOut);
        Assert.That(seen, Has.Count.GreaterThanOrEqualTo(6), "three generations of SA pairs (two rekeys) in left");
        var now = EndToEndChecks.EspSpis(Pair.Left);
        Assert.That(now.Overlaps(first), Is.False, "the first SA pair was removed at its hard expire");
        Assert.That(InteropChecks.EspSaCount(Pair.Left), Is.LessThanOrEqualTo(4), "no pile of old SAs in left:\n" + Pair.Left.Exec("ip xfrm state"));
        Assert.That(InteropChecks.EspSaCount(Pair.Right), Is.LessThanOrEqualTo(4), "no pile of old SAs in right:\n" + Pair.Right.Exec("ip xfrm state"));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);
    }

    private static (int Sent, int Received) PingCounts(string output)
    {
        var m = PingSummary().Match(output);
        return m.Success ? (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)) : (0, 0);
    }

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
    private static partial Regex PingSummary();
}
