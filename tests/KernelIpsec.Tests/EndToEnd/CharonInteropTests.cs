using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Our racoon (left, configured by <see cref="RacoonSideConfig"/> as a racoon user would) against
/// strongSwan charon IKEv1 (right), every interop variant, once with racoon initiating (traffic
/// from left, charon only responds) and once responding (charon traps the traffic from right).
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public class CharonInteropTests : EndToEndRig
{
    public enum Initiator
    {
        Racoon,
        Charon,
    }

    public static IEnumerable<TestCaseData> Cases() =>
        from v in InteropVariant.All
        from who in new[] { Initiator.Racoon, Initiator.Charon }
        select new TestCaseData(v, who).SetArgDisplayNames(v.Name, who + "Initiates");

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
