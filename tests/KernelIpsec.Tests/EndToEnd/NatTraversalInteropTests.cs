using System.Text.RegularExpressions;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Interop;
using NUnit.Framework;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// NAT traversal (RFC 3947/3948, issue 16) with our racoon through a real masquerading NAT (natbox,
/// nftables): behind the NAT initiating to charon, facing charon behind the NAT, against itself, a
/// keepalive holding an idle mapping open, and a mapping change followed without a new phase 1.
/// Every case checks what a user would: SAs in both kernels, pings both ways, every ESP SA
/// UDP-encapsulated (4500 at both ends on the NATed side), and on the public wire only ESP in UDP
/// 4500, IKE floated to 4500, no plain ESP and no private address. One representative case per
/// scenario keeps the Vm tier's cost modest; <see cref="StrongSwanNatSelfCheckTests"/> proves the
/// same checks with charon on both sides.
/// </summary>
[TestFixture, Category(Tier.Vm), NonParallelizable]
public partial class NatTraversalInteropTests : EndToEndRig
{
    private static readonly TimeSpan Negotiation = TimeSpan.FromSeconds(120);

    private static readonly InteropVariant[] RacoonBehindNat = [InteropVariant.NatPsk, InteropVariant.NatPskTunnel];

    private static readonly InteropVariant[] CharonBehindNat = [InteropVariant.NatrPsk, InteropVariant.NatrPskTunnel];

    /// <summary>Our racoon (left, 10.77.3.1) behind natbox starts phase 1 to charon (right, a road-warrior responder).</summary>
    [TestCaseSource(nameof(RacoonBehindNat))]
    public void RacoonBehindNatInitiatesToCharon(InteropVariant variant)
    {
        RequireStrongSwan();
        StartRig(variant);
        using var wire = InteropChecks.CapturePublicWire(Pair, Path.Combine(StateDirectory, "public.pcap"));
        var charon = StartCharon(left: false, variant, pki: null, startAction: "none");
        StartRacoonSide(left: true, variant);

        AssertNatTraversal(variant, fromLeft: true, wire);
        Assert.That(charon.Log, Does.Contain($"{NetnsPair.NatPublicAddress} is initiating a Main Mode"), "racoon started phase 1, seen from the NAT's address");
        Assert.That(charon.Log, Does.Contain("remote host is behind NAT"), "charon detected the NAT from racoon's NAT-D payloads");
    }

    /// <summary>charon (right, 10.77.4.2) behind natbox starts phase 1 to our racoon (left, public), reached through natbox's port forward.</summary>
    [TestCaseSource(nameof(CharonBehindNat))]
    public void CharonBehindNatInitiatesToRacoon(InteropVariant variant)
    {
        RequireStrongSwan();
        StartRig(variant);
        using var wire = InteropChecks.CapturePublicWire(Pair, Path.Combine(StateDirectory, "public.pcap"));
        var charon = StartCharon(left: false, variant, pki: null, startAction: "trap");
        StartRacoonSide(left: true, variant);

        AssertNatTraversal(variant, fromLeft: false, wire);
        Assert.That(charon.Log, Does.Match(@"(?<!is )initiating Main Mode IKE_SA"), "charon started phase 1");
        Assert.That(charon.Log, Does.Contain("local host is behind NAT"), "charon learned from racoon's NAT-D payloads that it is behind the NAT");
    }

    /// <summary>Our racoon behind natbox (left) to our racoon in public (right), which answers a peer it sees at 10.77.0.3.</summary>
    [Test]
    public void RacoonPairThroughTheNat()
    {
        var variant = InteropVariant.NatPsk;
        StartRig(variant);
        using var wire = InteropChecks.CapturePublicWire(Pair, Path.Combine(StateDirectory, "public.pcap"));
        var right = StartRacoonSide(left: false, variant);
        var left = StartRacoonSide(left: true, variant);

        AssertNatTraversal(variant, fromLeft: true, wire);
        Assert.That(left.Log, Does.Contain("IPsec-SA established"));
        Assert.That(right.Log, Does.Contain("IPsec-SA established"));
    }

    /// <summary>
    /// natbox forgets an idle UDP mapping after 10 s; our racoon behind it has `natt_keepalive 5 sec`,
    /// so after 30 s without traffic charon (public) still reaches it, under the same phase 1.
    /// </summary>
    [Test]
    public void RacoonKeepalivesHoldAnIdleMappingOpen()
    {
        RequireStrongSwan();
        var variant = InteropVariant.NatPsk;
        StartRig(variant);
        Pair.SetNatUdpTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        var charon = StartCharon(left: false, variant, pki: null, startAction: "none");
        var racoon = StartRacoonSide(left: true, variant, nattKeepalive: TimeSpan.FromSeconds(5));
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: true, Negotiation);
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);

        using var wire = InteropChecks.CapturePublicWire(Pair, Path.Combine(StateDirectory, "idle.pcap"));
        Thread.Sleep(TimeSpan.FromSeconds(30));
        Assert.That(InteropChecks.NatT4500MappingLifetimes(Pair), Has.Some.InRange(0, 10), "natbox's 4500 mapping with the short timeout:\n" + Pair.NatMappings());
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: false);
        Assert.That(InteropChecks.NatKeepalives(wire), Is.GreaterThanOrEqualTo(4), "racoon's keepalives (0xFF to 4500) in 30 s");
        Assert.That(charon.IkeSasEstablished, Is.EqualTo(1), "charon: one IKE SA, no new phase 1");
        Assert.That(IsakmpEstablished().Count(racoon.Log), Is.EqualTo(1), "racoon: one ISAKMP-SA, no new phase 1");
    }

    /// <summary>
    /// charon behind natbox (right) set up SAs with our racoon (public, left). Then natbox loses its
    /// mappings and rebinds right to a port in 40000-40999: racoon's kernel reports the new port
    /// (XFRM_MSG_MAPPING), racoon moves its SAs and its ISAKMP SA there, traffic flows both ways
    /// again, and there is still one phase 1.
    /// </summary>
    [Test]
    public void RacoonFollowsAMappingChangeWithoutNewPhase1()
    {
        RequireStrongSwan();
        var variant = InteropVariant.NatrPsk;
        StartRig(variant);
        var charon = StartCharon(left: false, variant, pki: null, startAction: "trap");
        var files = WriteRacoonSide(left: true, variant, nattKeepalive: null);
        var racoon = StartRacoon(left: true, files.RacoonConf);
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft: false, Negotiation);
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: false);

        Pair.FlushNatMappings();
        Pair.MasqueradeUdpToPorts(40000, 40999);
        var (from, to) = InteropChecks.TrafficEndpoints(variant, fromLeft: false);
        Pair.Right.TryExec($"ping -c 1 -W 1 -I {from} {to}");
        var port = InteropChecks.WaitForSasToFollowMapping(Pair.Left, 40000, 40999, TimeSpan.FromSeconds(15));
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: false);
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft: true);

        Assert.That(charon.IkeSasEstablished, Is.EqualTo(1), "charon: one IKE SA, no new phase 1");
        Assert.That(IsakmpEstablished().Count(racoon.Log), Is.EqualTo(1), "racoon: one ISAKMP-SA, no new phase 1");
        var socket = Path.Combine(files.Directory, "racoon.sock");
        var isakmp = Pair.Left.TryExec(ProductTools.Racoonctl.CommandLine($"-s {socket} show-sa isakmp"));
        var peers = Regex.Matches(isakmp.StdOut, @"^10\.77\.0\.3\.(\d+)\s", RegexOptions.Multiline);
        Assert.That(peers.Select(m => int.Parse(m.Groups[1].Value)), Is.EqualTo(new[] { port }),
            $"racoonctl show-sa isakmp: one ISAKMP SA, now at the peer's new port {port}:\n{isakmp.StdOut}{isakmp.StdErr}");
    }

    private RacoonSideConfig.Files WriteRacoonSide(bool left, InteropVariant variant, TimeSpan? nattKeepalive)
    {
        var files = RacoonSideConfig.Write(Path.Combine(StateDirectory, left ? "left" : "right"), variant, isLeft: left, pki: null, nattKeepalive: nattKeepalive);
        LoadPolicies(left ? Pair.Left : Pair.Right, files.SetkeyConf);
        return files;
    }

    private RacoonProcess StartRacoonSide(bool left, InteropVariant variant, TimeSpan? nattKeepalive = null) =>
        StartRacoon(left, WriteRacoonSide(left, variant, nattKeepalive).RacoonConf);

    /// <summary>Trigger from one side, then pings both ways, the encapsulation and the public wire.</summary>
    private void AssertNatTraversal(InteropVariant variant, bool fromLeft, WireCapture wire)
    {
        InteropChecks.TriggerAndWaitForSas(Pair, variant, fromLeft, Negotiation);
        InteropChecks.AssertTrafficProtected(Pair, variant, fromLeft);
        InteropChecks.AssertTrafficProtected(Pair, variant, !fromLeft);
        InteropChecks.AssertUdpEncapsulated(Pair);
        InteropChecks.AssertNatWire(wire);
    }

    [GeneratedRegex("ISAKMP-SA established")]
    private static partial Regex IsakmpEstablished();
}
