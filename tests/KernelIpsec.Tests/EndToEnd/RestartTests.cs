using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// A peer that crashed and came back (racoon SIGKILLed, its kernel's SAs gone as after a reboot,
/// racoon started again): its first phase 1 carries INITIAL-CONTACT, the surviving racoon drops
/// every old SA with that peer, and traffic flows again with nobody flushing anything by hand.
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public class RestartTests : EndToEndRig
{
    [Test]
    public void RestartedPeerSendsInitialContactAndTrafficIsRestored()
    {
        StartRig();
        var variant = InteropVariant.Psk3des;
        var left = RacoonSideConfig.Write(Path.Combine(StateDirectory, "left"), variant, isLeft: true, null);
        var right = RacoonSideConfig.Write(Path.Combine(StateDirectory, "right"), variant, isLeft: false, null);
        LoadPolicies(Pair.Left, left.SetkeyConf);
        LoadPolicies(Pair.Right, right.SetkeyConf);
        var leftRacoon = StartRacoon(left: true, left.RacoonConf);
        var rightRacoon = StartRacoon(left: false, right.RacoonConf);
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: true, TimeSpan.FromSeconds(120));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);
        var before = EndToEndChecks.EspSpis(Pair.Left);

        // The crash: right's racoon vanishes without DELETEs and its kernel forgets the SAs.
        rightRacoon.KillHard();
        Pair.Right.Exec("ip xfrm state flush");
        Assert.That(Pair.Left.TryExec($"ping -c 2 -i 0.3 -W 1 {NetnsPair.RightAddress}").StdOut, Does.Contain(" 0 received"),
            "left's old SAs lead nowhere while right has none");

        StartRacoon(left: false, right.RacoonConf, logName: "racoon-restarted.log");
        // Right has no SA now, so its traffic makes its racoon negotiate afresh (with INITIAL-CONTACT).
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: false, TimeSpan.FromSeconds(120));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (EndToEndChecks.EspSpis(Pair.Left).Overlaps(before) && DateTime.UtcNow < deadline)
            Thread.Sleep(200);

        Assert.That(leftRacoon.Log, Does.Contain("received INITIAL-CONTACT from " + NetnsPair.RightAddress), "left saw INITIAL-CONTACT");
        var after = EndToEndChecks.EspSpis(Pair.Left);
        Assert.That(after.Overlaps(before), Is.False, $"left removed the SAs of right's previous life ({string.Join(' ', before)}); now {string.Join(' ', after)}");
        Assert.That(after, Has.Count.EqualTo(2), "left holds exactly the new SA pair");
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: false);
    }
}
