using System.Text.RegularExpressions;
using KernelIpsec.Tests.EndToEnd;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>
/// A racoon killed with SIGKILL on a real kernel: started again it removes the SAs its previous life
/// installed and leaves a manual SA alone; started with -B it puts the saved SAs back, same SPIs and keys,
/// and they carry the peer's traffic without a new negotiation. The left racoon runs over either kernel
/// interface (the right one stays on XFRM): the cleanup and the restore must not exist on one only.
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public partial class CrashRecoveryVmTests : EndToEndRig
{
    [GeneratedRegex(@"spi (0x[0-9a-f]{8})[\s\S]*?enc cbc\(des3_ede\) (0x[0-9a-f]+)")]
    private static partial Regex SpiAndKey();

    private static IReadOnlySet<string> SpisAndKeys(TestNetns ns) =>
        SpiAndKey().Matches(ns.Exec("ip xfrm state")).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToHashSet();

    [TestCase("xfrm")]
    [TestCase("pfkey")]
    public void SigkillThenRestartThenMinusB(string kernel)
    {
        StartRig();
        var variant = InteropVariant.Psk3des;
        var left = RacoonSideConfig.Write(Path.Combine(StateDirectory, "left"), variant, isLeft: true, null);
        var right = RacoonSideConfig.Write(Path.Combine(StateDirectory, "right"), variant, isLeft: false, null);
        var backup = Path.Combine(StateDirectory, "left", "backupsa");
        File.AppendAllText(left.RacoonConf, $"\npath backupsa \"{backup}\";\n");
        LoadPolicies(Pair.Left, left.SetkeyConf);
        LoadPolicies(Pair.Right, right.SetkeyConf);
        var kernelFlag = $"--kernel {kernel}";
        var leftRacoon = StartRacoon(left: true, left.RacoonConf, kernelFlag);
        StartRacoon(left: false, right.RacoonConf);
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: true, TimeSpan.FromSeconds(120));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);
        var negotiated = SpisAndKeys(Pair.Left);
        Assert.That(negotiated, Has.Count.EqualTo(2));
        Pair.Left.Exec("ip xfrm state add src 10.77.0.1 dst 10.77.0.9 proto esp spi 0x00009999 mode transport " +
            "enc cbc(des3_ede) 0x000102030405060708090a0b0c0d0e0f1011121314151617 auth hmac(sha1) 0x000102030405060708090a0b0c0d0e0f10111213");
        Assert.That(File.ReadAllLines(backup).Count(l => !l.StartsWith('#')), Is.EqualTo(2), "both established SAs saved");

        leftRacoon.KillHard();
        var saved = backup + ".saved";
        File.Copy(backup, saved);
        Assert.That(SpisAndKeys(Pair.Left), Is.SupersetOf(negotiated), "a killed racoon removes nothing");

        var restarted = StartRacoon(left: true, left.RacoonConf, kernelFlag, logName: "racoon-restarted.log");
        Assert.That(restarted.Log, Does.Contain("the previous racoon run did not exit cleanly"));
        Assert.That(EndToEndChecks.EspSpis(Pair.Left), Is.EquivalentTo(new[] { "0x00009999" }), "only the manual SA is left");
        Assert.That(restarted.Terminate(TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(EndToEndChecks.EspSpis(Pair.Left), Is.EquivalentTo(new[] { "0x00009999" }), "a clean exit keeps the manual SA");

        File.Copy(saved, backup, overwrite: true);
        var restored = StartRacoon(left: true, left.RacoonConf, extraArguments: kernelFlag + " -B", logName: "racoon-restored.log");
        Assert.That(restored.Log, Does.Contain("2 SAs restored from " + backup));
        Assert.That(SpisAndKeys(Pair.Left), Is.SupersetOf(negotiated), "the same SPIs and keys as negotiated");

        // Right still holds its end: its packets decrypt in left's restored inbound SA, no negotiation needed.
        var inbound = negotiated.Select(s => s.Split(' ')[0]).Single(spi => Pair.Left.TryExec($"ip xfrm state get src 10.77.0.2 dst 10.77.0.1 proto esp spi {spi}").ExitCode == 0);
        Pair.Right.TryExec("bash -c \"echo after-restore > /dev/udp/10.77.0.1/9\"");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string counters;
        do
        {
            Thread.Sleep(200);
            counters = Pair.Left.Exec($"ip -s xfrm state get src 10.77.0.2 dst 10.77.0.1 proto esp spi {inbound}");
        }
        while (!Regex.IsMatch(counters, @"\b[1-9]\d*\(bytes\), [1-9]\d*\(packets\)") && DateTime.UtcNow < deadline);
        Assert.That(counters, Does.Match(@"\b[1-9]\d*\(bytes\), [1-9]\d*\(packets\)"), "the restored inbound SA carried right's packet");
        Assert.That(restored.Log, Does.Not.Contain("initiate new phase 1"), "no new negotiation");
    }
}
