using KernelIpsec.Tests.EndToEnd;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// charon against charon through natbox on the Vm tier: proves the NAT topologies, the NAT variants'
/// peer configurations and the NAT checks (encapsulation, public wire, keepalives, a mapping change)
/// before our racoon replaces one side in <see cref="NatTraversalInteropTests"/>.
/// </summary>
[TestFixture, Category(Tier.VmMatrix), NonParallelizable]
public class StrongSwanNatSelfCheckTests : EndToEndRig
{
    public static IEnumerable<TestCaseData> Cases() =>
    [
        new TestCaseData(InteropVariant.NatPsk, true).SetArgDisplayNames("nat-psk", "FromLeft"),
        new TestCaseData(InteropVariant.NatrPsk, true).SetArgDisplayNames("natr-psk", "FromLeft"),
        new TestCaseData(InteropVariant.NatrPsk, false).SetArgDisplayNames("natr-psk", "FromRight"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void CharonPairTraversesTheNat(InteropVariant variant, bool fromLeft)
    {
        RequireStrongSwan();
        StartRig(variant);
        using var wire = InteropChecks.CapturePublicWire(Pair, Path.Combine(StateDirectory, "public.pcap"));
        var right = StartCharon(left: false, variant, pki: null, startAction: "trap");
        var left = StartCharon(left: true, variant, pki: null, startAction: "trap");

        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft, TimeSpan.FromSeconds(60));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft);
        InteropChecks.AssertTrafficProtected(Pair, variant, !fromLeft);
        InteropChecks.AssertUdpEncapsulated(Pair);
        InteropChecks.AssertNatWire(wire);
        var (behind, facing) = variant.Nat == NatSide.Left ? (left, right) : (right, left);
        Assert.That(behind.Log, Does.Contain("local host is behind NAT"), "NAT-D: the NATed charon knows it");
        Assert.That(facing.Log, Does.Contain("remote host is behind NAT"), "NAT-D: the public charon knows it");
    }

    /// <summary>
    /// natbox forgets an idle UDP mapping after 10 s here; charon behind it sends a keepalive every 5 s,
    /// so after 30 s of silence the public side still reaches it, under the same IKE SA.
    /// </summary>
    [Test]
    public void CharonKeepalivesHoldAnIdleMappingOpen()
    {
        RequireStrongSwan();
        var variant = InteropVariant.NatPsk;
        StartRig(variant);
        Pair.SetNatUdpTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        var right = StartCharon(left: false, variant, pki: null, startAction: "none");
        var left = StartCharon(left: true, variant, pki: null, startAction: "trap", natKeepalive: TimeSpan.FromSeconds(5));
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: true, TimeSpan.FromSeconds(60));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);

        using var wire = InteropChecks.CapturePublicWire(Pair, Path.Combine(StateDirectory, "idle.pcap"));
        Thread.Sleep(TimeSpan.FromSeconds(30));
        Assert.That(InteropChecks.NatT4500MappingLifetimes(Pair), Has.Some.InRange(0, 10), "natbox's 4500 mapping with the short timeout:\n" + Pair.NatMappings());
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: false);
        Assert.That(InteropChecks.NatKeepalives(wire), Is.GreaterThanOrEqualTo(4), "keepalives from behind the NAT in 30 s");
        Assert.That((left.IkeSasEstablished, right.IkeSasEstablished), Is.EqualTo((1, 1)), "one IKE SA, no new phase 1");
    }

    /// <summary>
    /// The control of the test above: with keepalives every 120 s the mapping expires while idle, and
    /// the public side cannot reach the NATed one (so the short timeout really bites).
    /// </summary>
    [Test]
    public void WithoutKeepalivesAnIdleMappingExpires()
    {
        RequireStrongSwan();
        var variant = InteropVariant.NatPsk;
        StartRig(variant);
        Pair.SetNatUdpTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        StartCharon(left: false, variant, pki: null, startAction: "none");
        StartCharon(left: true, variant, pki: null, startAction: "trap", natKeepalive: TimeSpan.FromSeconds(120));
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: true, TimeSpan.FromSeconds(60));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);

        Thread.Sleep(TimeSpan.FromSeconds(30));
        Assert.That(InteropChecks.NatT4500MappingLifetimes(Pair), Is.Empty, "natbox forgot the idle mapping:\n" + Pair.NatMappings());
        var (from, to) = InteropChecks.TrafficEndpoints(variant, fromLeft: false);
        var ping = Pair.Right.TryExec($"ping -c 3 -i 0.3 -W 1 -I {from} {to}");
        Assert.That(ping.StdOut, Does.Contain(" 0 received"), "the public side cannot reach the NATed one: " + ping.StdOut);
    }

    /// <summary>
    /// natbox loses its mappings and rebinds right (behind it) to a port in 40000-40999: the public
    /// charon's kernel reports the new port, charon moves its SAs there, traffic flows both ways again
    /// under the same IKE SA. The control for <see cref="NatTraversalInteropTests"/>' mapping test.
    /// </summary>
    [Test]
    public void CharonFollowsAMappingChange()
    {
        RequireStrongSwan();
        var variant = InteropVariant.NatrPsk;
        StartRig(variant);
        var left = StartCharon(left: true, variant, pki: null, startAction: "none");
        var right = StartCharon(left: false, variant, pki: null, startAction: "trap");
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: false, TimeSpan.FromSeconds(60));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: false);

        Pair.FlushNatMappings();
        Pair.MasqueradeUdpToPorts(40000, 40999);
        var (from, to) = InteropChecks.TrafficEndpoints(variant, fromLeft: false);
        Pair.Right.TryExec($"ping -c 1 -W 1 -I {from} {to}");
        var port = InteropChecks.WaitForSasToFollowMapping(Pair.Left, 40000, 40999, TimeSpan.FromSeconds(15));
        TestContext.Out.WriteLine($"right now appears at {NetnsPair.NatPublicAddress}:{port}");
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: false);
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);
        Assert.That((left.IkeSasEstablished, right.IkeSasEstablished), Is.EqualTo((1, 1)), "one IKE SA, no new phase 1");
    }
}
