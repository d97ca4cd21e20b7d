using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Our racoon (left, configured by <see cref="RacoonSideConfig"/> as a racoon user would) against
/// strongSwan charon IKEv1 (right), every interop variant, once with racoon initiating (traffic
/// from left, charon only responds) and once responding (charon traps the traffic from right).
/// </summary>
[TestFixture, NonParallelizable]
public class CharonInteropTests : EndToEndRig
{
    public enum Initiator
    {
        Racoon,
        Charon,
    }

    /// <summary>
    /// Every variant both ways; CI (<see cref="Tier.Vm"/>) runs each variant once, alternating who starts, and
    /// psk-aes128 both ways; the rest is <see cref="Tier.VmMatrix"/> (bench/interop-matrix.sh).
    /// </summary>
    public static IEnumerable<TestCaseData> Cases() =>
        from pair in InteropVariant.All.Select((v, i) => (v, i))
        from who in new[] { Initiator.Racoon, Initiator.Charon }
        let inCi = pair.v.Name == "psk-aes128" || (pair.i % 2 == 0) == (who == Initiator.Racoon)
        select new TestCaseData(pair.v, who).SetArgDisplayNames(pair.v.Name, who + "Initiates").SetCategory(inCi ? Tier.Vm : Tier.VmMatrix);

    [TestCaseSource(nameof(Cases))]
    public void RacoonInteroperatesWithCharon(InteropVariant variant, Initiator initiator)
    {
        RequireStrongSwan();
        StartRig(tunnel: variant.Mode == "tunnel");
        var racoonInitiates = initiator == Initiator.Racoon;
        var pki = variant.Auth == "rsa" ? TestPki.Create(Path.Combine(StateDirectory, "pki")) : null;

        var charon = StartCharon(left: false, variant, pki, startAction: racoonInitiates ? "none" : "trap");
        var files = RacoonSideConfig.Write(Path.Combine(StateDirectory, "left"), variant, isLeft: true, pki);
        LoadPolicies(Pair.Left, files.SetkeyConf);
        StartRacoon(left: true, files.RacoonConf);

        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: racoonInitiates, TimeSpan.FromSeconds(120));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: racoonInitiates);
        if (variant.RacoonPhase2Auth == "hmac_sha256")
        {
            // RFC 4868's 128-bit ICV, as charon uses: with PF_KEY's 96 bits every packet would be dropped.
            var sad = Pair.Left.Exec("ip xfrm state");
            Assert.That(sad, Does.Match(@"auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\b"), "HMAC-SHA-256 with a 128-bit ICV in left:\n" + sad);
        }

        // charon's log says who started phase 1: "10.77.0.1 is initiating a Main Mode IKE_SA" as
        // responder, "initiating Main Mode IKE_SA kernelipsec[1] to 10.77.0.1" as initiator.
        var log = charon.Log;
        if (racoonInitiates)
            Assert.That(log, Does.Contain($"{NetnsPair.LeftAddress} is initiating a"), "racoon started phase 1");
        else
            Assert.That(log, Does.Match(@"(?<!is )initiating (Main|Aggressive) Mode IKE_SA"), "charon started phase 1");
        Assert.That(log, Does.Contain("established between"), "charon's IKE_SA with racoon");
    }
}
