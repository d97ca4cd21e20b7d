using System.Net;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Transport;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

[TestFixture, Category(Tier.Unit)]
public class TransportUnitTests
{
    [Test]
    public void EverySocketAsksTheKernelForBypassAndOnlyTheNattOneForUdpEncapsulation()
    {
        var kernel = new InMemoryKernel();
        using var transport = new IkeTransport(kernel, _ => ValueTask.CompletedTask, NullLogger.Instance);
        var ike = new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), NatTraversal: false);
        var natt = new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), NatTraversal: true);

        transport.Reconcile([ike, natt]);

        var bound = transport.Sockets.ToDictionary(s => s.Endpoint.NatTraversal, s => s.BoundEndPoint);
        Assert.That(kernel.BypassedSockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port), Is.EquivalentTo(new[] { bound[false].Port, bound[true].Port }));
        Assert.That(kernel.UdpEncapsulatedSockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port), Is.EqualTo(new[] { bound[true].Port }));
        Assert.That(transport.Sockets.All(s => s.HasBypassPolicy), Is.True);
    }

    [Test]
    public void AKeepaliveLeavesTheNattSocketAsOneFfByteWhereIkeGetsTheMarker()
    {
        using var transport = new IkeTransport(new InMemoryKernel(), _ => ValueTask.CompletedTask, NullLogger.Instance);
        transport.Reconcile([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), NatTraversal: false), new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), NatTraversal: true)]);
        var bound = transport.Sockets.ToDictionary(s => s.Endpoint.NatTraversal, s => s.BoundEndPoint);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.ReceiveTimeout = 5000;
        var peerEndPoint = (IPEndPoint)peer.LocalEndPoint!;

        Assert.That(transport.SendNatKeepalive(new IPEndPoint(IPAddress.Loopback, bound[false].Port), peerEndPoint), Is.False, "never from the ISAKMP socket");
        Assert.That(transport.SendNatKeepalive(bound[true], peerEndPoint), Is.True);
        Assert.That(transport.Send(bound[true], peerEndPoint, [0xaa, 0xbb]), Is.True);

        var buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var length = peer.ReceiveFrom(buffer, ref from);
        Assert.That((buffer[..length], ((IPEndPoint)from).Port), Is.EqualTo((new byte[] { 0xff }, bound[true].Port)), "the first datagram: the keepalive, from the NAT-T port");
        length = peer.ReceiveFrom(buffer, ref from);
        Assert.That(buffer[..length], Is.EqualTo(new byte[] { 0, 0, 0, 0, 0xaa, 0xbb }));
    }

    [Test]
    public void WhenMinusPMovedTheNattPortWhatTheEngineSendsFrom4500LeavesTheNattSocket()
    {
        using var transport = new IkeTransport(new InMemoryKernel(), _ => ValueTask.CompletedTask, NullLogger.Instance);
        transport.Reconcile([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), NatTraversal: false), new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), NatTraversal: true)]);
        var natt = transport.Sockets.Single(s => s.Endpoint.NatTraversal).BoundEndPoint;
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.ReceiveTimeout = 5000;

        Assert.That(transport.SendNatKeepalive(new IPEndPoint(IPAddress.Loopback, 4500), (IPEndPoint)peer.LocalEndPoint!), Is.True);
        Assert.That(transport.Send(new IPEndPoint(IPAddress.Loopback, 4500), (IPEndPoint)peer.LocalEndPoint!, [0xcc]), Is.True);

        var buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var length = peer.ReceiveFrom(buffer, ref from);
        Assert.That((buffer[..length], ((IPEndPoint)from).Port), Is.EqualTo((new byte[] { 0xff }, natt.Port)));
        length = peer.ReceiveFrom(buffer, ref from);
        Assert.That((buffer[..length], ((IPEndPoint)from).Port), Is.EqualTo((new byte[] { 0, 0, 0, 0, 0xcc }, natt.Port)));
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
    public void WithoutListenEveryLocalAddressGetsTheIsakmpAndTheNattPortWhateverTheRemotesSay()
    {
        // racoon built with NAT-T (myaddr_open_all_configured) opens both on every address, nat_traversal or not.
        var plan = ListenPlan.Compute(new RacoonConfig(), 500, 4500, Locals);
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { "10.77.0.1[500]", "10.77.0.1[4500] (NAT-T)", "fd77::1[500]", "fd77::1[4500] (NAT-T)" }));
        var off = new RacoonConfig { Remotes = [new RemoteConfig { Name = "anonymous", NatTraversal = Tristate.Off }] };
        Assert.That(ListenPlan.Compute(off, 500, 4500, [Locals[0]]).Select(p => p.ToString()), Is.EqualTo(new[] { "10.77.0.1[500]", "10.77.0.1[4500] (NAT-T)" }));
    }

    [Test]
    public void MinusPAndMinusPMoveThePortsOfTheLocalAddresses()
    {
        var plan = ListenPlan.Compute(new RacoonConfig(), 5000, 5001, [Locals[0]]);
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { "10.77.0.1[5000]", "10.77.0.1[5001] (NAT-T)" }));
    }

    [Test]
    public void WithListenLinesOnlyIsakmpNattLinesGetANattSocketOnThePortTheyName()
    {
        var config = KernelIpsec.Tests.Config.ConfigTestFiles.ParseOk("""
            listen { isakmp 10.77.0.9 [500]; isakmp_natt 10.77.0.9 [4500]; isakmp 10.77.0.8; isakmp_natt 10.77.0.7; }
            remote anonymous {
                exchange_mode main;
                nat_traversal on;
                proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }
            }
            """);
        var plan = ListenPlan.Compute(config, 500, 4501, Locals);
        // No -P for listed addresses; an isakmp_natt line without a port gets 500, as racoon's grammar gives it.
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { "10.77.0.9[500]", "10.77.0.9[4500] (NAT-T)", "10.77.0.8[500]", "10.77.0.7[500] (NAT-T)" }));
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

    [TestCase(AddressFamily.InterNetwork, "10.77.0.1")]
    [TestCase(AddressFamily.InterNetworkV6, "fd77::1")]
    public void FamilyFlagKeepsOnlyLocalAddressesOfThatFamily(AddressFamily family, string expected)
    {
        var plan = ListenPlan.Compute(new RacoonConfig(), 500, 4500, Locals, family);
        Assert.That(plan.Select(p => p.ToString()), Is.EqualTo(new[] { expected + "[500]", expected + "[4500] (NAT-T)" }));
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
