using System.Buffers.Binary;
using System.Net;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>
/// Our requests byte for byte against what iproute2 6.1 sent for the same entry, captured with
/// <c>strace -f -e trace=sendmsg -xx ip xfrm ...</c> in a netns. Only nlmsg_seq is taken from the capture.
/// The SA bodies also decode back to the model, since the kernel answers in the same layout.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class XfrmMessageVectorTests
{
    private const ushort Request = 1, Ack = 4, Dump = 0x300;
    private static readonly IPAddress Left = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Right = IPAddress.Parse("10.77.0.2");

    private static string Expected(ushort type, ushort flags, uint seq, string body)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(16 + (body.Length / 2)));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), seq);
        return Convert.ToHexStringLower(header) + body;
    }

    private static string Hex(byte[] message) => Convert.ToHexStringLower(message);

    private static byte[] Body(byte[] message) => message[16..];

    private static SaAlgorithm Alg(AlgorithmKind kind, string name, string hexKey, int? icv = null) =>
        new(AlgorithmRegistry.Get(kind, name), Convert.FromHexString(hexKey), icv);

    // ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dir out priority 100
    //   tmpl src 10.77.0.1 dst 10.77.0.2 proto esp mode tunnel reqid 5 level required
    private static SecurityPolicy PolicyV4Tunnel(uint priority) =>
        new(new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16"), 6, 80), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Unique, 5, Left, Right)])
        { Priority = priority };

    [Test]
    public void NewPolicyIpv4Tunnel()
    {
        var message = XfrmMessages.AddPolicy(PolicyV4Tunnel(100), update: false, 1795445422);
        Assert.That(Hex(message), Is.EqualTo(Expected(19, Request | Ack, IpXfrmCaptures.PolicyAddV4TunnelSeq, IpXfrmCaptures.PolicyAddV4Tunnel)));
        Assert.That(XfrmDecoder.Policy(Body(message)) with { Current = null }, Is.EqualTo(PolicyV4Tunnel(100)));
    }

    [Test]
    public void UpdatePolicy()
    {
        var body = IpXfrmCaptures.PolicyUpdate;
        Assert.That(Hex(XfrmMessages.AddPolicy(PolicyV4Tunnel(50), update: true, 1795445428)), Is.EqualTo(Expected(25, Request | Ack, 1795445428, body)));
    }

    // ip xfrm policy add src fd77:1::/64 dst fd77:2::/64 proto udp dport 500 dir in
    //   tmpl proto ah mode transport level use tmpl proto esp mode transport reqid 7
    [Test]
    public void NewPolicyIpv6Bundle()
    {
        var body = IpXfrmCaptures.PolicyAddV6Bundle;
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Parse("fd77:1::/64"), AddressPrefix.Parse("fd77:2::/64"), 17, 0, 500), PolicyDirection.In, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Transport, IpsecLevel.Use), new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique, 7)])
        { Priority = 0 };
        var message = XfrmMessages.AddPolicy(policy, update: false, 1795445428);
        Assert.That(Hex(message), Is.EqualTo(Expected(19, Request | Ack, 1795445428, body)));
        Assert.That(XfrmDecoder.Policy(Body(message)) with { Current = null }, Is.EqualTo(policy));
    }

    // ip xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto icmp type 8 code 3 dir fwd action block priority 7
    [Test]
    public void NewPolicyBlockWithIcmpTypeAndCode()
    {
        var body = IpXfrmCaptures.PolicyAddBlock;
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Parse("10.0.0.1"), AddressPrefix.Parse("10.0.0.2"), 1, 8, 3), PolicyDirection.Fwd, PolicyAction.Block) { Priority = 7 };
        Assert.That(Hex(XfrmMessages.AddPolicy(policy, update: false, 1795445825)), Is.EqualTo(Expected(19, Request | Ack, 1795445825, body)));
    }

    // ip xfrm policy get|delete src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dir out
    [TestCase(false, (ushort)21, Request, 1795445428u)]
    [TestCase(true, (ushort)20, (ushort)(Request | Ack), 1795445429u)]
    public void GetAndDeletePolicy(bool delete, ushort type, ushort flags, uint seq)
    {
        var body = IpXfrmCaptures.PolicyGet;
        var id = new PolicyId(new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16"), 6, 80), PolicyDirection.Out);
        Assert.That(Hex(XfrmMessages.PolicyId(id, delete, seq)), Is.EqualTo(Expected(type, flags, seq, body)));
    }

    [Test]
    public void PolicyDumpAndFlushHaveNoBody()
    {
        Assert.That(Hex(XfrmMessages.DumpPolicies(1795445429)), Is.EqualTo(Expected(21, Request | Dump, 1795445429, "")));
        Assert.That(Hex(XfrmMessages.FlushPolicies(1795445429)), Is.EqualTo(Expected(29, Request | Ack, 1795445429, "")));
    }

    // ip xfrm state add src 10.77.0.1 dst 10.77.0.2 proto esp spi 0x1000 reqid 3 mode tunnel replay-window 32 flag noecn
    //   enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f auth-trunc 'hmac(sha256)' 0x1011..2f 128
    //   limit time-soft 2880 limit time-hard 3600 limit byte-soft 1000000 limit byte-hard 2000000 encap espinudp 4500 4501 0.0.0.0
    [Test]
    public void NewSaEspTunnelWithEverything()
    {
        var body = IpXfrmCaptures.StateAddEspTunnel;
        var sa = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x1000)
        {
            Mode = IpsecMode.Tunnel,
            ReqId = 3,
            ReplayWindow = 32,
            Flags = SaFlags.NoEcn,
            Encryption = Alg(AlgorithmKind.Encryption, "aes-cbc", "000102030405060708090a0b0c0d0e0f"),
            Authentication = Alg(AlgorithmKind.Authentication, "hmac-sha256", "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"),
            Lifetime = new Lifetime(new LifetimeLimits(Bytes: 1000000, AddSeconds: 2880), new LifetimeLimits(Bytes: 2000000, AddSeconds: 3600)),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4501),
        };
        var message = XfrmMessages.AddSa(sa, update: false, 1795445429);
        Assert.That(Hex(message), Is.EqualTo(Expected(16, Request | Ack, 1795445429, body)));
        Assert.That(XfrmDecoder.Sa(Body(message)) with { Current = null }, Is.EqualTo(sa));
    }

    private static SecurityAssociation Ah() => new(Left, Right, IpsecProtocol.Ah, 0x2000)
    {
        Mode = IpsecMode.Transport,
        Authentication = Alg(AlgorithmKind.Authentication, "hmac-sha1", "0102030405060708090a0b0c0d0e0f1011121314"),
    };

    // ip xfrm state add|update src 10.77.0.1 dst 10.77.0.2 proto ah spi 0x2000 auth-trunc 'hmac(sha1)' 0x0102..14 96
    [TestCase(false, (ushort)16, 1795445429u)]
    [TestCase(true, (ushort)26, 1795445430u)]
    public void NewAndUpdateSaAh(bool update, ushort type, uint seq)
    {
        var message = XfrmMessages.AddSa(Ah(), update, seq);
        Assert.That(Hex(message), Is.EqualTo(Expected(type, Request | Ack, seq, update ? IpXfrmCaptures.StateUpdateAh : IpXfrmCaptures.StateAddAh)));
        Assert.That(XfrmDecoder.Sa(Body(message)) with { Current = null }, Is.EqualTo(Ah()));
    }

    // ip xfrm state add src 10.77.0.1 dst 10.77.0.2 proto comp spi 0x3000 comp deflate
    [Test]
    public void NewSaIpcomp()
    {
        var body = IpXfrmCaptures.StateAddComp;
        var sa = new SecurityAssociation(Left, Right, IpsecProtocol.IpComp, 0x3000)
        {
            Mode = IpsecMode.Transport,
            Compression = SaAlgorithm.WithoutKey(AlgorithmRegistry.Get(AlgorithmKind.Compression, "deflate")),
        };
        var message = XfrmMessages.AddSa(sa, update: false, 1795445437);
        Assert.That(Hex(message), Is.EqualTo(Expected(16, Request | Ack, 1795445437, body)));
        Assert.That(XfrmDecoder.Sa(Body(message)) with { Current = null }, Is.EqualTo(sa));
    }

    // ip xfrm state add src fd77::1 dst fd77::2 proto esp spi 0x4000 mode transport
    //   aead 'rfc4106(gcm(aes))' 0x000102030405060708090a0b0c0d0e0f10111213 128 sel src fd77::1 dst fd77::2
    [Test]
    public void NewSaAeadIpv6WithSelector()
    {
        var body = IpXfrmCaptures.StateAddAeadV6;
        var a = IPAddress.Parse("fd77::1");
        var b = IPAddress.Parse("fd77::2");
        var sa = new SecurityAssociation(a, b, IpsecProtocol.Esp, 0x4000)
        {
            Mode = IpsecMode.Transport,
            Aead = Alg(AlgorithmKind.Aead, "aes-gcm-16", "000102030405060708090a0b0c0d0e0f10111213"),
            Selector = new Selector(AddressPrefix.Host(a), AddressPrefix.Host(b)),
        };
        var message = XfrmMessages.AddSa(sa, update: false, 1795445430);
        Assert.That(Hex(message), Is.EqualTo(Expected(16, Request | Ack, 1795445430, body)));
        Assert.That(XfrmDecoder.Sa(Body(message)) with { Current = null }, Is.EqualTo(sa));
    }

    // ip xfrm state get|delete src 10.77.0.1 dst 10.77.0.2 proto esp spi 0x1000
    [TestCase(false, (ushort)18, Request)]
    [TestCase(true, (ushort)17, (ushort)(Request | Ack))]
    public void GetAndDeleteSa(bool delete, ushort type, ushort flags)
    {
        var body = IpXfrmCaptures.StateGet;
        Assert.That(Hex(XfrmMessages.SaId(new SaId(Left, Right, IpsecProtocol.Esp, 0x1000), delete, 1795445430)), Is.EqualTo(Expected(type, flags, 1795445430, body)));
    }

    // ip xfrm state flush [proto esp]: nlmsg_len 17, the one-byte body is not padded
    [Test]
    public void FlushSas()
    {
        Assert.That(Hex(XfrmMessages.FlushSas(null, 1795445430)), Is.EqualTo(Expected(28, Request | Ack, 1795445430, "00")));
        Assert.That(Hex(XfrmMessages.FlushSas(IpsecProtocol.Esp, 1795445431)), Is.EqualTo(Expected(28, Request | Ack, 1795445431, "32")));
    }

    [Test]
    public void SaDumpIsUnfiltered() =>
        Assert.That(Hex(XfrmMessages.DumpSas(7)), Is.EqualTo(Expected(18, Request | Dump, 7, "")));

    // ip xfrm state allocspi src 10.77.0.1 dst 10.77.0.2 proto esp mode transport reqid 9 min 0x100 max 0x1ff
    [Test]
    public void AllocateSpi()
    {
        var body = IpXfrmCaptures.StateAllocSpi;
        var request = new SpiRequest(Left, Right, IpsecProtocol.Esp, new SpiRange(0x100, 0x1ff), ReqId: 9);
        Assert.That(Hex(XfrmMessages.AllocateSpi(request, 1795445431)), Is.EqualTo(Expected(22, Request, 1795445431, body)));
    }
}
