using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>
/// The IPv6 deadlock on this machine's kernel, with IKE played by a UDP socket that has racoon's per-socket
/// bypass: under `spdadd ::/0 ::/0 any -P out ipsec esp/transport//require;` the datagram to the peer never
/// leaves, because the neighbour solicitation it needs is itself held for an SA (the kernel ACQUIREs for ICMPv6
/// 135 and the neighbour stays unresolved). With the bypass policies setkey suggests, ND passes in the clear and
/// the datagram arrives. No SA is ever made, so no ESP support is needed.
/// </summary>
[TestFixture, Category(Tier.Kernel), NonParallelizable]
public class NeighbourDiscoveryTrapKernelTests : XfrmKernelTestBase
{
    private static readonly IPAddress Local = IPAddress.Parse("fd77:5::1");
    private static readonly IPAddress Peer = IPAddress.Parse("fd77:5::2");

    private static readonly SecurityPolicy Everything = new(new Selector(AddressPrefix.Parse("::/0"), AddressPrefix.Parse("::/0")), PolicyDirection.Out,
        PolicyAction.Allow, [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Require)]);

    private TestNetns peerNs = null!;

    [SetUp]
    public void Link()
    {
        peerNs = TestNetns.Create("kinp");
        Ns.Exec($"ip link add v0 type veth peer name v1 netns {peerNs.Name}");
        Ns.Exec($"ip addr add {Local}/64 dev v0 nodad");
        Ns.Exec("ip link set v0 up");
        peerNs.Exec($"ip addr add {Peer}/64 dev v1 nodad");
        peerNs.Exec("ip link set v1 up");
    }

    [TearDown]
    public void Unlink() => peerNs?.Dispose();

    [Test]
    public async Task WithoutABypassNeighbourDiscoveryWaitsForAnSaAndNothingArrives()
    {
        var (received, acquires) = await SendLikeIke([Everything]);
        Assert.That(received, Is.False, "the datagram never left: its neighbour solicitation waits for an SA");
        Assert.That(acquires.Select(a => (a.Trigger.UpperProtocol, a.Trigger.SourcePort)), Does.Contain(((byte?)58, (ushort)135)), "the kernel asked for an SA for the solicitation");
        Assert.That(Ns.Exec($"ip -6 neigh show {Peer}"), Does.Not.Contain("lladdr"), "the peer's link-layer address was never learned");
    }

    [Test]
    public async Task TheBypassPoliciesSetkeySuggestsLetNeighbourDiscoveryThrough()
    {
        var bypass = new[] { (ushort)135, (ushort)136 }.Select(type => new SecurityPolicy(
            new Selector(AddressPrefix.Parse("::/0"), AddressPrefix.Parse("::/0"), 58, type, 0), PolicyDirection.Out, PolicyAction.Allow) { Priority = 0x40000000 });
        var (received, acquires) = await SendLikeIke([Everything, .. bypass]);
        Assert.That(received, Is.True, "the datagram arrived");
        // Router solicitations (133) and MLD reports (143) of the new link may still ask for SAs; they do not hold IKE up.
        Assert.That(acquires.Where(a => a.Trigger.SourcePort is 135 or 136), Is.Empty, "neighbour discovery needed no SA");
        Assert.That(Ns.Exec($"ip -6 neigh show {Peer}"), Does.Contain("lladdr"));
    }

    /// <summary>Installs <paramref name="policies"/>, sends one datagram from a bypassed socket, and reports whether the peer got it and the ACQUIREs raised meanwhile.</summary>
    private async Task<(bool Received, List<AcquireEvent> Acquires)> SendLikeIke(SecurityPolicy[] policies)
    {
        var (kernel, subscription) = Ns.Run(() =>
        {
            var k = XfrmKernel.Open();
            return (k, k.SubscribeEvents());
        });
        await using var _ = kernel;
        await using var __ = subscription;
        foreach (var policy in policies)
            await kernel.AddPolicyAsync(policy);
        var acquires = new List<AcquireEvent>();
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(async () =>
        {
            await foreach (var e in subscription.WithCancellation(stop.Token))
            {
                if (e is AcquireEvent acquire)
                {
                    lock (acquires)
                        acquires.Add(acquire);
                }
            }
        });
        using var receiver = peerNs.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(Peer, 5500));
            return s;
        });
        using var sender = Ns.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(Local, 0));
            return s;
        });
        kernel.BypassSocket(sender);
        sender.SendTo("ike"u8.ToArray(), new IPEndPoint(Peer, 5500));

        var buffer = new byte[16];
        var receive = receiver.ReceiveAsync(buffer.AsMemory()).AsTask();
        var received = await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(5))) == receive;

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await stop.CancelAsync();
        try
        {
            await listening;
        }
        catch (OperationCanceledException)
        {
            // The listener ends by cancellation.
        }
        return (received, acquires);
    }
}
