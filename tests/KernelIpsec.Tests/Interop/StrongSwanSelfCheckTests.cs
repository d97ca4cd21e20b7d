using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// charon against charon on the Vm tier: proves the interop fixture (peer start-up, PKI, the
/// variant definitions, the checks) before our racoon replaces one side.
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public class StrongSwanSelfCheckTests
{
    private static readonly InteropVariant[] Variants = [InteropVariant.PskAes128, InteropVariant.Rsa, InteropVariant.TunnelPsk];

    [TestCaseSource(nameof(Variants))]
    public void CharonPairNegotiatesAndProtectsTraffic(InteropVariant variant)
    {
        Requirements.Vm();
        if (!StrongSwanPeer.IsInstalled)
            Assert.Ignore("needs strongSwan (charon, swanctl): vm/install-deps.sh installs it");

        var state = Path.Combine(Path.GetTempPath(), "kernelipsec-interop", variant.Name + "-" + Environment.ProcessId);
        var pki = TestPki.Create(Path.Combine(state, "pki"));
        using var pair = NetnsPair.Create();
        if (variant.Mode == "tunnel")
            pair.AddTunnelNetworks();
        using var right = StrongSwanPeer.Start(pair.Right, variant, isLeft: false, Path.Combine(state, "right"), pki);
        using var left = StrongSwanPeer.Start(pair.Left, variant, isLeft: true, Path.Combine(state, "left"), pki);
        try
        {
            InteropChecks.TriggerAndWaitForSas(pair, variant, fromLeft: true, TimeSpan.FromSeconds(60));
            InteropChecks.AssertTrafficProtected(pair, variant, fromLeft: true);
        }
        catch
        {
            TestContext.Out.WriteLine("left charon log:\n" + left.Log + "\nright charon log:\n" + right.Log);
            throw;
        }
    }
}
