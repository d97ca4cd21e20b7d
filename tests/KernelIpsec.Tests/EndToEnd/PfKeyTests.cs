using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>The seed PSK scenario with both racoons and both setkeys on PF_KEY (`--kernel pfkey`).</summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public class PfKeyTests : EndToEndRig
{
    [Test]
    public void SeedScenarioPskWorksOverPfKey()
    {
        StartRig();
        var left = SeedScenario.Write(Path.Combine(StateDirectory, "left"), isLeft: true);
        var right = SeedScenario.Write(Path.Combine(StateDirectory, "right"), isLeft: false);
        LoadPolicies(Pair.Left, left.SetkeyConf, "--kernel pfkey");
        LoadPolicies(Pair.Right, right.SetkeyConf, "--kernel pfkey");
        StartRacoon(left: true, left.RacoonConf, "--kernel pfkey");
        StartRacoon(left: false, right.RacoonConf, "--kernel pfkey");

        EndToEndChecks.SendUdp(Pair.Left, NetnsPair.RightAddress);
        EndToEndChecks.WaitForEspSas(Pair, TimeSpan.FromSeconds(120));
        InteropChecks.AssertTrafficProtected(Pair, InteropVariant.Psk3des, fromLeft: true);
        var dump = Pair.Left.TryExec(ProductTools.Setkey.CommandLine("--kernel pfkey -D"));
        Assert.That(dump.StdOut, Does.Contain("esp mode=transport"), "setkey -D over PF_KEY lists the negotiated SAs:\n" + dump.StdOut + dump.StdErr);
    }
}
