using System.Net;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink;

/// <summary>
/// The kernel's "NAT-T peer moved" notifications, laid out byte by byte as Linux builds them (xfrm_user.c
/// xfrm_send_mapping, af_key.c pfkey_send_new_mapping), and the in-memory kernel raising the same event.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class NatMappingDecodeTests
{
    private static readonly IPAddress Us = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Peer = IPAddress.Parse("10.77.0.2");
    private static readonly IPAddress PeerMoved = IPAddress.Parse("10.77.0.9");

    // struct xfrm_user_mapping (64 bytes): xfrm_usersa_id { daddr 10.77.0.1, spi 0x0c5a3e21 (be), family AF_INET (2),
    // proto ESP (50), 1 byte padding }, reqid 16385, old_saddr 10.77.0.2, new_saddr 10.77.0.9, old_sport 4500 (be),
    // new_sport 31000 (be).
    private const string XfrmMappingV4 =
        "0a4d0001000000000000000000000000" + "0c5a3e21" + "0200" + "32" + "00" +
        "01400000" +
        "0a4d0002000000000000000000000000" +
        "0a4d0009000000000000000000000000" +
        "1194" + "7918";

    // The same for IPv6 (fd77::1 <- fd77::2, port 4500 -> 4501), reqid 0.
    private const string XfrmMappingV6 =
        "fd770000000000000000000000000001" + "00001000" + "0a00" + "32" + "00" +
        "00000000" +
        "fd770000000000000000000000000002" +
        "fd770000000000000000000000000002" +
        "1194" + "1195";

    // SADB_X_NAT_T_NEW_MAPPING (96 bytes = 12 units of 8): sadb_msg { v2, type 23, errno 0, satype ESP (3), len 12,
    // reserved 0, seq 0, pid 0 }; SA { len 2, ext 1, spi 0x0c5a3e21 (be), replay/state/auth/encrypt 0, flags 0 };
    // ADDRESS_SRC { len 3, ext 5, proto 0, prefixlen 32 } sockaddr_in 10.77.0.2 port 0; X_NAT_T_SPORT { len 1, ext 21,
    // port 4500 (be) }; ADDRESS_DST { len 3, ext 6 } sockaddr_in 10.77.0.9; X_NAT_T_DPORT { len 1, ext 22, port 31000 }.
    private const string PfKeyNewMapping =
        "02170003" + "0c000000" + "00000000" + "00000000" +
        "02000100" + "0c5a3e21" + "00000000" + "00000000" +
        "03000500" + "00200000" + "02000000" + "0a4d0002" + "0000000000000000" +
        "01001500" + "11940000" +
        "03000600" + "00200000" + "02000000" + "0a4d0009" + "0000000000000000" +
        "01001600" + "79180000";

    [Test]
    public void XfrmMappingNamesTheInboundSaAndThePeersOldAndNewEndpoint()
    {
        var e = XfrmDecoder.Event(38, Convert.FromHexString(XfrmMappingV4));

        Assert.That(e, Is.EqualTo(new NatMappingEvent(IpsecProtocol.Esp, 0x0c5a3e21, Us, 16385,
            new IPEndPoint(Peer, 4500), new IPEndPoint(PeerMoved, 31000))));
    }

    [Test]
    public void XfrmMappingOverIpv6()
    {
        var e = XfrmDecoder.Event(38, Convert.FromHexString(XfrmMappingV6));

        Assert.That(e, Is.EqualTo(new NatMappingEvent(IpsecProtocol.Esp, 0x1000, IPAddress.Parse("fd77::1"), 0,
            new IPEndPoint(IPAddress.Parse("fd77::2"), 4500), new IPEndPoint(IPAddress.Parse("fd77::2"), 4501))));
    }

    [Test]
    public void AShortXfrmMappingIsRefusedWithTheStructNamed()
    {
        var e = Assert.Throws<KernelIpsec.Netlink.NetlinkProtocol.NetlinkFormatException>(() => XfrmDecoder.Event(38, Convert.FromHexString(XfrmMappingV4).AsSpan(0, 60)));
        Assert.That(e!.Message, Is.EqualTo("malformed netlink message: xfrm_user_mapping needs 64 bytes, message body has 60"));
    }

    [Test]
    public void PfKeyNewMappingHasNoDestinationAndReadsThePortsFromTheNatTExtensions()
    {
        var e = PfKeyDecoder.Event(SadbMessage.Parse(Convert.FromHexString(PfKeyNewMapping)));

        Assert.That(e, Is.EqualTo(new NatMappingEvent(IpsecProtocol.Esp, 0x0c5a3e21, null, 0,
            new IPEndPoint(Peer, 4500), new IPEndPoint(PeerMoved, 31000))));
    }

    [Test]
    public void TheEventWrittenAsAfKeyWritesItIsTheSameBytes()
    {
        var e = new NatMappingEvent(IpsecProtocol.Esp, 0x0c5a3e21, Us, 16385, new IPEndPoint(Peer, 4500), new IPEndPoint(PeerMoved, 31000));

        Assert.That(Convert.ToHexStringLower(PfKeyNotifications.Event(e)!), Is.EqualTo(PfKeyNewMapping));
    }

    [Test]
    public void SetkeyDashXOverXfrmShowsItAsAfKeysBroadcast()
    {
        var e = XfrmDecoder.Event(38, Convert.FromHexString(XfrmMappingV4))!;
        using var stdout = new StringWriter();
        new KernelIpsec.Setkey.Dump.Kdebug.KdebugMonitor(stdout, TextWriter.Null, false, true, TimeProvider.System, TimeZoneInfo.Utc).Show(e);

        Assert.That(stdout.ToString(), Does.Contain("sadb_msg{ version=2 type=23 errno=0 satype=3\n")
            .And.Contain("sadb_x_nat_t_port{ port=4500 }\n").And.Contain("sadb_x_nat_t_port{ port=31000 }\n"));
    }

    [Test]
    public void PfKeyNewMappingWithoutItsPortsIsRefused()
    {
        var withoutDport = Convert.FromHexString(PfKeyNewMapping)[..88];
        withoutDport[4] = 11;
        var e = Assert.Throws<PfKeyFormatException>(() => PfKeyDecoder.Event(SadbMessage.Parse(withoutDport)));
        Assert.That(e!.Message, Is.EqualTo("malformed PF_KEY message: SADB_X_NAT_T_NEW_MAPPING without X_NAT_T_DPORT"));
    }

    [Test]
    public async Task TheInMemoryKernelRaisesItForAnEncapsulatedSaAndLeavesTheSaAlone()
    {
        var kernel = new InMemoryKernel();
        await using var events = kernel.SubscribeEvents();
        var sa = new SecurityAssociation(Peer, Us, IpsecProtocol.Esp, 0x4000)
        {
            Mode = IpsecMode.Transport,
            ReqId = 7,
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), new byte[16]),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4500),
        };
        await kernel.AddSaAsync(sa);
        await kernel.AddSaAsync(sa with { Id = new SaId(Peer, Us, IpsecProtocol.Esp, 0x4001), NatTraversal = null });

        Assert.That(kernel.ChangeNatMapping(new SaId(Peer, Us, IpsecProtocol.Esp, 0x4001), new IPEndPoint(Peer, 31000)), Is.False, "not encapsulated");
        Assert.That(kernel.ChangeNatMapping(sa.Id, new IPEndPoint(Peer, 4500)), Is.False, "no change");
        Assert.That(kernel.ChangeNatMapping(new SaId(Peer, Us, IpsecProtocol.Esp, 0x4999), new IPEndPoint(Peer, 31000)), Is.False, "no such SA");
        Assert.That(kernel.ChangeNatMapping(sa.Id, new IPEndPoint(Peer, 31000)), Is.True);

        var seen = new List<KernelEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in events.WithCancellation(timeout.Token))
        {
            seen.Add(e);
            if (e is NatMappingEvent)
                break;
        }
        Assert.That(seen.OfType<NatMappingEvent>().Single(), Is.EqualTo(new NatMappingEvent(IpsecProtocol.Esp, 0x4000, Us, 7, new IPEndPoint(Peer, 4500), new IPEndPoint(Peer, 31000))));
        Assert.That((await kernel.GetSaAsync(sa.Id))!.NatTraversal!.SourcePort, Is.EqualTo(4500), "the kernel does not move the SA itself");
    }
}
