using System.Buffers.Binary;
using System.Net;
using System.Text;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

/// <summary>
/// Our PF_KEY requests byte for byte. The vectors are written by hand from the RFC 2367 / pfkeyv2.h layouts for the
/// messages ipsec-tools documents (reference §2.10: what setkey sent for a script), and the policy vectors are the
/// exact bytes a test script sent to Debian's 6.1 kernel, which accepted them and `ip xfrm policy` showed as meant.
/// Only sadb_msg_seq and sadb_msg_pid are ours.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class PfKeyMessageVectorTests
{
    private const uint Seq = 0x6f, Pid = 0x7e;

    private static string Header(byte type, byte satype, string body) =>
        "02" + type.ToString("x2") + "00" + satype.ToString("x2") + Words((body.Length / 2) + 16) + "0000" + "6f000000" + "7e000000" + body;

    private static string Words(int bytes)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(bytes / 8));
        return Convert.ToHexStringLower(b);
    }

    private static string Hex(byte[] message) => Convert.ToHexStringLower(message);

    private static SaAlgorithm Alg(AlgorithmKind kind, string name, byte[] key) => new(AlgorithmRegistry.Get(kind, name), key);

    // add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x2000 -m tunnel -u 7 -r 32 -lh 3600 -ls 2880
    //     -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-md5 "1234567890123456";
    [Test]
    public void AddEspUdpTunnelAsSetkeySendsIt()
    {
        var sa = new SecurityAssociation(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IpsecProtocol.Esp, 0x2000)
        {
            Mode = IpsecMode.Tunnel,
            ReqId = 7,
            ReplayWindow = 32,
            Encryption = Alg(AlgorithmKind.Encryption, "aes-cbc", Convert.FromHexString("00112233445566778899aabbccddeeff")),
            Authentication = Alg(AlgorithmKind.Authentication, "hmac-md5", Encoding.ASCII.GetBytes("1234567890123456")),
            Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 2880), new LifetimeLimits(AddSeconds: 3600)),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4500),
        };
        var body =
            "03000900" + "80000000" + "00112233445566778899aabbccddeeff"                 // KEY_ENCRYPT 128 bits
            + "03000800" + "80000000" + "31323334353637383930313233343536"               // KEY_AUTH 128 bits
            + "04000300" + "00000000" + "0000000000000000" + "100e000000000000" + "0000000000000000" // LIFETIME_HARD add 3600
            + "04000400" + "00000000" + "0000000000000000" + "400b000000000000" + "0000000000000000" // LIFETIME_SOFT add 2880
            + "02000100" + "00002000" + "20" + "00" + "02" + "0c" + "40000000"          // SA spi replay state auth enc flags=CYCSEQ
            + "02001300" + "02" + "00" + "0000" + "00000000" + "07000000"                // X_SA2 tunnel reqid 7
            + "01001400" + "02000000"                                                    // X_NAT_T_TYPE espinudp
            + "03000500" + "ff" + "20" + "0000" + "0200" + "1194" + "0a000001" + "0000000000000000" // ADDRESS_SRC 10.0.0.1[4500]
            + "03000600" + "ff" + "20" + "0000" + "0200" + "1194" + "0a000002" + "0000000000000000" // ADDRESS_DST 10.0.0.2[4500]
            + "01001500" + "1194" + "0000"                                               // X_NAT_T_SPORT 4500
            + "01001600" + "1194" + "0000";                                              // X_NAT_T_DPORT 4500
        Assert.That(Hex(PfKeyMessages.AddSa(sa, update: false, Seq, Pid)), Is.EqualTo(Header(3, 3, body)));
        Assert.That(Hex(PfKeyMessages.AddSa(sa, update: true, Seq, Pid)), Is.EqualTo(Header(2, 3, body)));
    }

    [Test]
    public void AddNullCipherCarriesAZeroBitKeyAndIpv6Sockaddrs()
    {
        var sa = new SecurityAssociation(IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"), IpsecProtocol.Esp, 0x2002)
        {
            ReplayWindow = 4,
            Encryption = SaAlgorithm.WithoutKey(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "null")),
        };
        var body =
            "01000900" + "00000000"                                                      // KEY_ENCRYPT, 0 bits (Linux wants one for ESP)
            + "02000100" + "00002002" + "04" + "00" + "00" + "0b" + "40000000"
            + "02001300" + "00000000" + "00000000" + "00000000"                           // mode any, reqid 0
            + "05000500" + "ff800000" + "0a00" + "0000" + "00000000" + "fd770000000000000000000000000001" + "00000000" + "00000000"
            + "05000600" + "ff800000" + "0a00" + "0000" + "00000000" + "fd770000000000000000000000000002" + "00000000" + "00000000";
        Assert.That(Hex(PfKeyMessages.AddSa(sa, update: false, Seq, Pid)), Is.EqualTo(Header(3, 3, body)));
    }

    [Test]
    public void AddIpcompAndAhWithNoecn()
    {
        var ipcomp = new SecurityAssociation(IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), IpsecProtocol.IpComp, 0x303)
        {
            Compression = SaAlgorithm.WithoutKey(AlgorithmRegistry.Get(AlgorithmKind.Compression, "deflate")),
        };
        var addresses =
            "03000500" + "ff200000" + "0200" + "0000" + "0a4d0001" + "0000000000000000"
            + "03000600" + "ff200000" + "0200" + "0000" + "0a4d0002" + "0000000000000000";
        Assert.That(Hex(PfKeyMessages.AddSa(ipcomp, update: false, Seq, Pid)),
            Is.EqualTo(Header(3, 9, "02000100" + "00000303" + "00000002" + "40000000" + "02001300" + "00000000" + "00000000" + "00000000" + addresses)));

        var ah = new SecurityAssociation(IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), IpsecProtocol.Ah, 0x1234)
        {
            Mode = IpsecMode.Transport,
            Flags = SaFlags.NoEcn,
            Authentication = Alg(AlgorithmKind.Authentication, "hmac-sha1", Enumerable.Repeat((byte)0xab, 20).ToArray()),
        };
        Assert.That(Hex(PfKeyMessages.AddSa(ah, update: false, Seq, Pid)), Is.EqualTo(Header(3, 2,
            "04000800" + "a0000000" + string.Concat(Enumerable.Repeat("ab", 20)) + "00000000"     // KEY_AUTH 160 bits, padded
            + "02000100" + "00001234" + "00" + "00" + "03" + "00" + "40000080"                    // auth 3, flags CYCSEQ|NOECN
            + "02001300" + "01000000" + "00000000" + "00000000" + addresses)));
    }

    [Test]
    public void GetAndDeleteSa()
    {
        var id = new SaId(IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), IpsecProtocol.Esp, 0x2000);
        var body = "02000100" + "00002000" + "00000000" + "40000000" + "02001300" + "00000000" + "00000000" + "00000000"
            + "03000500" + "ff200000" + "0200" + "0000" + "0a4d0001" + "0000000000000000"
            + "03000600" + "ff200000" + "0200" + "0000" + "0a4d0002" + "0000000000000000";
        Assert.That(Hex(PfKeyMessages.SaId(id, 5, Seq, Pid)), Is.EqualTo(Header(5, 3, body)));
        Assert.That(Hex(PfKeyMessages.SaId(id, 4, Seq, Pid)), Is.EqualTo(Header(4, 3, body)));
    }

    [Test]
    public void GetSpiAsRacoonSendsIt()
    {
        var request = new SpiRequest(IPAddress.Parse("10.77.0.2"), IPAddress.Parse("10.77.0.1"), IpsecProtocol.Esp, new SpiRange(0x5000, 0x5fff), ReqId: 9);
        var body = "02001300" + "01000000" + "00000000" + "09000000"
            + "03000500" + "ff200000" + "0200" + "0000" + "0a4d0002" + "0000000000000000"
            + "03000600" + "ff200000" + "0200" + "0000" + "0a4d0001" + "0000000000000000"
            + "02001000" + "00500000" + "ff5f0000" + "00000000";
        Assert.That(Hex(PfKeyMessages.GetSpi(request, Seq, Pid)), Is.EqualTo(Header(1, 3, body)));
    }

    [Test]
    public void HeaderOnlyMessages()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Hex(PfKeyMessages.Flush(null, Seq, Pid)), Is.EqualTo(Header(9, 0, "")));
            Assert.That(Hex(PfKeyMessages.Flush(IpsecProtocol.Ah, Seq, Pid)), Is.EqualTo(Header(9, 2, "")));
            Assert.That(Hex(PfKeyMessages.Dump(Seq, Pid)), Is.EqualTo(Header(10, 0, "")));
            Assert.That(Hex(PfKeyMessages.Bare(18, 0, Seq, Pid)), Is.EqualTo("02120000" + "0200" + "0000" + "6f000000" + "7e000000"));
            Assert.That(Hex(PfKeyMessages.Bare(7, 3, Seq, Pid)), Is.EqualTo(Header(7, 3, "")));
        });
    }

    // spdadd 192.168.1.10[21] 192.168.1.20 tcp -P out prio high + 5 ipsec esp/transport//use ah/transport//require;
    [Test]
    public void SpdAddTransportBundleAsSentToTheKernel()
    {
        var policy = new SecurityPolicy(
            new Selector(AddressPrefix.Parse("192.168.1.10/32"), AddressPrefix.Parse("192.168.1.20/32"), 6, 21, 0), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Use), new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Transport, IpsecLevel.Require)])
        { Priority = 0x3ffffffb };
        const string Sent = "020e00000e0000006f0000007e000000060012000200020000000000fbffff3f1000320001010000000000000000000010003300010200000000000000000000"
            + "030005000620000002000015c0a8010a0000000000000000030006000620000002000000c0a801140000000000000000";
        Assert.That(Hex(PfKeyMessages.SpdAdd(policy, update: false, Seq, Pid)), Is.EqualTo(Sent));
        Assert.That(Hex(PfKeyMessages.SpdAdd(policy, update: true, Seq, Pid)), Is.EqualTo("020d" + Sent[4..]));
    }

    // spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec ah/tunnel/10.77.0.2-10.77.0.1/unique:5 esp/transport//unique;
    [Test]
    public void SpdAddTunnelBundleAsSentToTheKernel()
    {
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Parse("10.2.0.0/16"), AddressPrefix.Parse("10.1.0.0/16")), PolicyDirection.In, PolicyAction.Allow,
            [
                new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Tunnel, IpsecLevel.Unique, 5, IPAddress.Parse("10.77.0.2"), IPAddress.Parse("10.77.0.1")),
                new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique),
            ]);
        const string Sent = "020e000012000000700000007e0000000a00120002000100000000000000008030003300020300000500000000000000020000000a4d0002000000000000000002"
            + "0000000a4d000100000000000000001000320001030000000000000000000003000500ff100000020000000a020000000000000000000003000600ff1000000200"
            + "00000a0100000000000000000000";
        Assert.That(Hex(PfKeyMessages.SpdAdd(policy, update: false, 0x70, Pid)), Is.EqualTo(Sent));
    }

    // spdadd fd77:1::/64 fd77:2::/64 any -P out ipsec esp/tunnel/fd77::1-fd77::2/require;
    [Test]
    public void SpdAddIpv6TunnelAsSentToTheKernel()
    {
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Parse("fd77:1::/64"), AddressPrefix.Parse("fd77:2::/64")), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"))]);
        const string Sent = "020e000017000000710000007e0000000b001200020002000000000000000080480032000202000000000000000000000a00000000000000fd7700000000000000"
            + "00000000000001000000000a00000000000000fd7700000000000000000000000000020000000005000500ff4000000a00000000000000fd770001000000000000"
            + "000000000000000000000000000005000600ff4000000a00000000000000fd7700020000000000000000000000000000000000000000";
        Assert.That(Hex(PfKeyMessages.SpdAdd(policy, update: false, 0x71, Pid)), Is.EqualTo(Sent));
    }

    [Test]
    public void RequireWithReqidGoesAsUniqueSoTheKernelKeepsTheReqid()
    {
        var request = PfKeyMessages.Request(new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Require, 42));
        Assert.That((request.Level, request.ReqId), Is.EqualTo((3, 42u)));
        Assert.That(PfKeyMessages.Request(new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Default)).Level, Is.Zero);
    }

    [Test]
    public void DiscardAndNonePoliciesWithLifetimeAndContext()
    {
        var selector = new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16"));
        var discard = new SecurityPolicy(selector, PolicyDirection.Fwd, PolicyAction.Block)
        {
            Priority = 7,
            Lifetime = new Lifetime(null, new LifetimeLimits(AddSeconds: 60)),
            SecurityContext = new SecurityContext(1, 2, "ctx"),
        };
        var addresses = "03000500" + "ff100000" + "0200" + "0000" + "0a010000" + "0000000000000000"
            + "03000600" + "ff100000" + "0200" + "0000" + "0a020000" + "0000000000000000";
        Assert.That(Hex(PfKeyMessages.SpdAdd(discard, update: false, Seq, Pid)), Is.EqualTo(Header(14, 0,
            "02001200" + "0000" + "03" + "00" + "00000000" + "07000000"                       // X_POLICY discard, fwd
            + addresses
            + "04000300" + "00000000" + "0000000000000000" + "3c00000000000000" + "0000000000000000" // hard add 60
            + "04000400" + "00000000" + "0000000000000000" + "0000000000000000" + "0000000000000000" // soft unlimited partner
            + "02001800" + "02" + "01" + "0400" + "63747800" + "00000000")));                     // X_SEC_CTX alg 2 doi 1 "ctx\0"
        var none = new SecurityPolicy(selector, PolicyDirection.In);
        Assert.That(Hex(PfKeyMessages.SpdAdd(none, update: false, Seq, Pid)), Is.EqualTo(Header(14, 0,
            "02001200" + "0100" + "01" + "00" + "00000000" + "00000080" + addresses)));
    }

    // spddelete 10.1.0.0/16 10.2.0.0/16 any -P out;  (reference §2.10: type 0, priority 0)
    [Test]
    public void SpdDeleteAndByIndex()
    {
        var id = new PolicyId(new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16")), PolicyDirection.Out);
        Assert.That(Hex(PfKeyMessages.SpdDelete(id, Seq, Pid)), Is.EqualTo(Header(15, 0,
            "02001200" + "0000" + "02" + "00" + "00000000" + "00000000"
            + "03000500" + "ff100000" + "0200" + "0000" + "0a010000" + "0000000000000000"
            + "03000600" + "ff100000" + "0200" + "0000" + "0a020000" + "0000000000000000")));
        Assert.That(Hex(PfKeyMessages.SpdByIndex(16, 25, Seq, Pid)), Is.EqualTo(Header(16, 0, "02001200" + "0000" + "00" + "00" + "19000000" + "00000000")));
        Assert.That(Hex(PfKeyMessages.SpdByIndex(22, 25, Seq, Pid)), Is.EqualTo(Header(22, 0, "02001200" + "0000" + "00" + "00" + "19000000" + "00000000")));
    }

    [Test]
    public void WhatPfKeyCannotSayIsRefusedBeforeSending()
    {
        var a = IPAddress.Parse("10.77.0.1");
        var b = IPAddress.Parse("10.77.0.2");
        var aes = Alg(AlgorithmKind.Encryption, "aes-cbc", new byte[16]);
        var sa = new SecurityAssociation(a, b, IpsecProtocol.Esp, 0x100) { Encryption = aes };
        Assert.Multiple(() =>
        {
            Assert.That(() => PfKeyMessages.AddSa(sa with { ReplayWindow = 256 }, false, 1, 1),
                Throws.ArgumentException.With.Message.Contains("replay window 256").And.Message.Contains("--kernel xfrm"));
            Assert.That(() => PfKeyMessages.AddSa(sa with { Flags = SaFlags.Esn }, false, 1, 1),
                Throws.ArgumentException.With.Message.Contains("Esn"));
            Assert.That(() => PfKeyMessages.AddSa(sa with { Selector = new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16")) }, false, 1, 1),
                Throws.ArgumentException.With.Message.Contains("selector"));
            Assert.That(() => PfKeyMessages.AddSa(sa with { Lifetime = new Lifetime(null, new LifetimeLimits(Packets: 1UL << 33)) }, false, 1, 1),
                Throws.ArgumentException.With.Message.Contains("32-bit sadb_lifetime_allocations"));
            var policy = new SecurityPolicy(Selector.Any(System.Net.Sockets.AddressFamily.InterNetwork), PolicyDirection.Out);
            Assert.That(() => PfKeyMessages.SpdAdd(policy with { Index = 9 }, false, 1, 1), Throws.ArgumentException.With.Message.Contains("index 9"));
            Assert.That(() => PfKeyMessages.SpdAdd(policy with { Flags = PolicyFlags.LocalOk }, false, 1, 1), Throws.ArgumentException.With.Message.Contains("LocalOk"));
            Assert.That(PfKeyMessages.SpdAdd(policy with { Index = 9 }, update: true, 1, 1), Is.Not.Empty, "an update keeps the kernel's index");
        });
    }
}
