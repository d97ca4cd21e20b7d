using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Our racoon against our racoon on a real kernel, each in its own namespace, each configured
/// with setkey policies and a racoon.conf only: the issue's seed scenario (PSK, classic
/// algorithms), X.509 signatures, and modern algorithms.
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public class KeydPairTests : EndToEndRig
{
    [Test]
    public void SeedScenarioPskProtectsTrafficBetweenTwoRacoons()
    {
        StartRig();
        var left = SeedScenario.Write(Path.Combine(StateDirectory, "left"), isLeft: true);
        var right = SeedScenario.Write(Path.Combine(StateDirectory, "right"), isLeft: false);
        LoadPolicies(Pair.Left, left.SetkeyConf);
        LoadPolicies(Pair.Right, right.SetkeyConf);
        var leftRacoon = StartRacoon(left: true, left.RacoonConf);
        var rightRacoon = StartRacoon(left: false, right.RacoonConf);
        using var wire = WireCapture.Start(Pair.Right, "veth-r", Path.Combine(StateDirectory, "wire.pcap"), "esp or icmp or udp port 9");

        EndToEndChecks.SendUdp(Pair.Left, NetnsPair.RightAddress);
        EndToEndChecks.WaitForEspSas(Pair, TimeSpan.FromSeconds(120));

        foreach (var ns in new[] { Pair.Left, Pair.Right })
        {
            var sad = ns.Exec("ip xfrm state");
            Assert.That(sad, Does.Contain("enc cbc(des3_ede)"), $"3DES SAs in {ns.Name}:\n{sad}");
            Assert.That(sad, Does.Contain("auth-trunc hmac(sha1)"), $"HMAC-SHA1 SAs in {ns.Name}:\n{sad}");
            Assert.That(sad, Does.Contain("replay-window 4"), $"racoon's replay window in {ns.Name}:\n{sad}");
        }
        Assert.That(leftRacoon.Log, Does.Contain("IPsec-SA established"));
        Assert.That(rightRacoon.Log, Does.Contain("IPsec-SA established"));
        InteropChecks.AssertTrafficProtected(Pair, InteropVariant.Psk3des, fromLeft: true);
        EndToEndChecks.AssertOnlyEspOnTheWire(wire.StopAndRead());

        // racoonctl on the left sees the ISAKMP SA and the ESP SAs.
        var socket = Path.Combine(left.Directory, "racoon.sock");
        var isakmp = Pair.Left.TryExec(ProductTools.Racoonctl.CommandLine($"-s {socket} show-sa isakmp"));
        Assert.That(isakmp.StdOut, Does.Contain($"{NetnsPair.RightAddress}.500"), isakmp.StdErr);
        var esp = Pair.Left.TryExec(ProductTools.Racoonctl.CommandLine($"-s {socket} show-sa esp"));
        Assert.That(esp.StdOut, Does.Contain("esp mode=transport"), esp.StdErr);

        // A clean exit (SIGTERM) removes the daemon's own SAs.
        Assert.That(leftRacoon.Terminate(TimeSpan.FromSeconds(30)), Is.True, leftRacoon.Log);
        Assert.That(InteropChecks.EspSaCount(Pair.Left), Is.Zero, Pair.Left.Exec("ip xfrm state"));
    }

    [Test]
    public void X509SignaturesWithAsn1DnIdentitiesProtectTraffic()
    {
        StartRig();
        var pki = TestPki.Create(Path.Combine(StateDirectory, "pki"));
        AssertRacoonPair(InteropVariant.Rsa, pki);
    }

    [Test]
    public void ModernAlgorithmsAes256Sha256Modp2048ProtectTraffic()
    {
        StartRig();
        AssertRacoonPair(InteropVariant.PskAes256, pki: null);
        foreach (var ns in new[] { Pair.Left, Pair.Right })
        {
            var sad = ns.Exec("ip xfrm state");
            Assert.That(sad, Does.Match(@"enc cbc\(aes\) 0x[0-9a-f]{64}\b"), $"AES-256 SAs in {ns.Name}:\n{sad}");
            Assert.That(sad, Does.Match(@"auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\b"), $"HMAC-SHA-256 with a 128-bit ICV in {ns.Name}:\n{sad}");
        }
    }

    /// <summary>Both sides from <see cref="RacoonSideConfig"/> for one variant; traffic from left.</summary>
    private void AssertRacoonPair(InteropVariant variant, TestPki? pki)
    {
        var left = RacoonSideConfig.Write(Path.Combine(StateDirectory, "left"), variant, isLeft: true, pki);
        var right = RacoonSideConfig.Write(Path.Combine(StateDirectory, "right"), variant, isLeft: false, pki);
        LoadPolicies(Pair.Left, left.SetkeyConf);
        LoadPolicies(Pair.Right, right.SetkeyConf);
        StartRacoon(left: true, left.RacoonConf);
        StartRacoon(left: false, right.RacoonConf);

        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: true, TimeSpan.FromSeconds(120));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);
    }
}
