using KernelIpsec.Tests.EndToEnd;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// libreswan pluto (right) against strongSwan charon (left) on the Vm tier: proves the pluto fixture
/// (the unpacked package, its isolation, ipsec.conf/secrets/NSS per variant, on-demand and
/// respond-only) before our racoon faces pluto in <see cref="LibreswanInteropTests"/>.
/// </summary>
[TestFixture, Category(Tier.VmMatrix), NonParallelizable]
public class LibreswanSelfCheckTests : EndToEndRig
{
    public static IEnumerable<TestCaseData> Cases() =>
    [
        new TestCaseData(InteropVariant.PskAes128, true).SetArgDisplayNames("psk-aes128", "CharonInitiates"),
        new TestCaseData(InteropVariant.AggressivePsk, false).SetArgDisplayNames("aggr-psk", "PlutoInitiates"),
        new TestCaseData(InteropVariant.Rsa, true).SetArgDisplayNames("rsa", "CharonInitiates"),
        new TestCaseData(InteropVariant.TunnelPsk, false).SetArgDisplayNames("tunnel-psk", "PlutoInitiates"),
        new TestCaseData(InteropVariant.NatPsk, true).SetArgDisplayNames("nat-psk", "CharonBehindNatInitiates"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void PlutoAndCharonProtectTraffic(InteropVariant variant, bool charonInitiates)
    {
        RequireStrongSwan();
        RequireLibreswan();
        StartRig(variant);
        var pki = variant.Auth == "rsa" ? TestPki.Create(Path.Combine(StateDirectory, "pki")) : null;
        using var wire = variant.Nat != NatSide.None ? InteropChecks.CapturePublicWire(Pair, Path.Combine(StateDirectory, "public.pcap")) : null;
        var pluto = StartPluto(left: false, variant, pki, auto: charonInitiates ? "add" : "ondemand");
        StartCharon(left: true, variant, pki, startAction: charonInitiates ? "trap" : "none");

        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: charonInitiates, TimeSpan.FromSeconds(90));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: charonInitiates);
        Assert.That(pluto.IsakmpSasEstablished, Is.EqualTo(1), "pluto's log: one ISAKMP SA\n" + pluto.Log);
        if (wire != null)
        {
            InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: !charonInitiates);
            InteropChecks.AssertUdpEncapsulated(Pair);
            InteropChecks.AssertNatWire(wire);
        }
    }
}
