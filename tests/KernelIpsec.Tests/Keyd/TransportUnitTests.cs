using System.Net;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Transport;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

[TestFixture, Category(Tier.Unit)]
public class TransportUnitTests
{
    [Test]
    public void BypassPolicyIsXfrmUserpolicyInfoWithActionAllow()
    {
        var bytes = SocketBypassPolicy.Encode(AddressFamily.InterNetwork, SocketBypassPolicy.DirectionOut);
        var expected = new byte[168];
        expected[40] = 2; // sel.family AF_INET
        for (var i = 56; i < 88; i++)
            expected[i] = 0xff; // soft/hard byte and packet limits: XFRM_INF
        expected[160] = 1; // dir out
        expected[161] = 0; // action allow
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [Test]
    public void BypassPolicyForIpv6CarriesAfInet6AndDirectionIn()
    {
        var bytes = SocketBypassPolicy.Encode(AddressFamily.InterNetworkV6, SocketBypassPolicy.DirectionIn);
        Assert.That(bytes, Has.Length.EqualTo(168));
        Assert.That((bytes[40], bytes[41], bytes[160], bytes[161]), Is.EqualTo(((byte)10, (byte)0, (byte)0, (byte)0)));
    }

    [Test]
    public void PfKeyBypassPolicyIsSadbXPolicyOfTypeBypass()
    {
        // len 2 (x 8 bytes), SADB_X_EXT_POLICY 18, IPSEC_POLICY_BYPASS 4, IPSEC_DIR_OUTBOUND 2, id 0, priority 0
        Assert.That(Convert.ToHexString(SocketBypassPolicy.EncodePfKey(SocketBypassPolicy.DirectionOut)), Is.EqualTo("02001200040002000000000000000000"));
        Assert.That(SocketBypassPolicy.EncodePfKey(SocketBypassPolicy.DirectionIn)[6], Is.EqualTo(1), "IPSEC_DIR_INBOUND");
    }

    [Test]
    public void NonEspMarkerClassifiesNattPortTraffic()
    {
        Assert.That(NonEspMarker.Classify([0xff]), Is.EqualTo(NonEspMarker.Kind.Keepalive));
        Assert.That(NonEspMarker.Classify([0, 0, 0, 0, 0x11, 0x22]), Is.EqualTo(NonEspMarker.Kind.Ike));
        Assert.That(NonEspMarker.Classify([0, 0, 1, 0, 0x11, 0x22]), Is.EqualTo(NonEspMarker.Kind.NotIke));
        Assert.That(NonEspMarker.Classify([0, 0]), Is.EqualTo(NonEspMarker.Kind.NotIke));
        Assert.That(NonEspMarker.Prepend([0xaa, 0xbb]), Is.EqualTo(new byte[] { 0, 0, 0, 0, 0xaa, 0xbb }));
        Assert.That(NonEspMarker.Strip(new byte[] { 0, 0, 0, 0, 0xaa }).ToArray(), Is.EqualTo(new byte[] { 0xaa }));
    }

    private static readonly IPAddress[] Locals = [IPAddress.Parse("10.77.0.1"), IPAddress.Parse("fd77::1")];

    [Test]
    public void WithoutListenEveryLocalAddressGetsTheIsakmpPort()
    {
        var plan = ListenPlan.Compute(new RacoonConfig(), 500, 4500, Locals);
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { "10.77.0.1[500]", "fd77::1[500]" }));
    }

    [Test]
    public void NattPortOpensWhenSomeRemoteEnablesNatTraversal()
    {
        var config = new RacoonConfig { Remotes = [new RemoteConfig { Name = "anonymous", NatTraversal = Tristate.On }] };
        var plan = ListenPlan.Compute(config, 500, 4500, [Locals[0]]);
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { "10.77.0.1[500]", "10.77.0.1[4500] (NAT-T)" }));
    }

    [Test]
    public void ListenAddressesReplaceTheLocalOnesAndKeepTheirPorts()
    {
        var config = new RacoonConfig
        {
            Listen = new ListenConfig
            {
                Addresses = [new ListenAddress(IPAddress.Parse("10.77.0.9"), 0, false), new ListenAddress(IPAddress.Parse("10.77.0.9"), 7500, true)],
            },
        };
        var plan = ListenPlan.Compute(config, 5000, 4500, Locals);
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { "10.77.0.9[5000]", "10.77.0.9[7500] (NAT-T)" }));
    }

    [TestCase(AddressFamily.InterNetwork, "10.77.0.1[500]")]
    [TestCase(AddressFamily.InterNetworkV6, "fd77::1[500]")]
    public void FamilyFlagKeepsOnlyLocalAddressesOfThatFamily(AddressFamily family, string expected)
    {
        var plan = ListenPlan.Compute(new RacoonConfig(), 500, 4500, Locals, family);
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void FamilyFlagAlsoFiltersListenAddressesAndNamesWhatItLeftOut()
    {
        var config = new RacoonConfig
        {
            Listen = new ListenConfig
            {
                Addresses = [new ListenAddress(IPAddress.Parse("10.77.0.9"), 0, false), new ListenAddress(IPAddress.Parse("fd77::9"), 0, false)],
            },
        };

        Assert.That(ListenPlan.Compute(config, 500, 4500, Locals, AddressFamily.InterNetworkV6).Select(p => p.ToString()), Is.EqualTo(new[] { "fd77::9[500]" }));
        Assert.That(ListenPlan.ExcludedByFamily(config, AddressFamily.InterNetworkV6).Select(a => a.Address.ToString()), Is.EqualTo(new[] { "10.77.0.9" }));
        Assert.That(ListenPlan.ExcludedByFamily(config, null), Is.Empty);
        Assert.That(ListenPlan.Compute(config, 500, 4500, Locals).Count, Is.EqualTo(2), "no flag: both families");
    }
}
