using System.Net;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

/// <summary>What af_key really sent (<see cref="AfKeyCaptures"/>) read into the model, and malformed messages refused with the field named.</summary>
[TestFixture, Category(Tier.Unit)]
public class PfKeyDecoderTests
{
    private static readonly IPAddress Left = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Right = IPAddress.Parse("10.77.0.2");

    private static SadbMessage Parse(string hex) => SadbMessage.Parse(Convert.FromHexString(hex));

    private static byte[] Range(int count) => Enumerable.Range(0, count).Select(i => (byte)i).ToArray();

    [Test]
    public void AddAnswerShowsWhatLinuxInstalled()
    {
        var m = Parse(AfKeyCaptures.AddReplyEspSha256NatT);
        Assert.That((m.Header.Type, m.Header.Sequence, m.Header.Pid, m.Header.Errno), Is.EqualTo((3, 103u, 126u, 0)));
        var sa = PfKeyDecoder.Sa(m);
        var expected = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x2000)
        {
            Mode = IpsecMode.Tunnel,
            ReqId = 7,
            ReplayWindow = 32, // 64 was asked for: without ESN the kernel keeps at most 32
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), Range(16)),
            Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha256"), Range(32), 96),
            Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 2880), new LifetimeLimits(AddSeconds: 3600)),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4501), // the OA that was sent is gone
            Current = new LifetimeCurrent(0, 0, DateTimeOffset.FromUnixTimeSeconds(0x6b045b94), null),
        };
        Assert.That(sa, Is.EqualTo(expected));
        Assert.That(PfKeyDecoder.Event(m), Is.EqualTo(new SaAddedEvent(expected)));
    }

    [Test]
    public void NullCipherIpv6IpcompAndLarval()
    {
        var v6 = PfKeyDecoder.Sa(Parse(AfKeyCaptures.AddReplyNullV6));
        Assert.That(v6.Id, Is.EqualTo(new SaId(IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"), IpsecProtocol.Esp, 0x2002)));
        Assert.That((v6.Mode, v6.ReplayWindow, v6.Encryption?.Algorithm.Name, v6.Encryption?.KeyBits, v6.Authentication), Is.EqualTo((IpsecMode.Transport, 4u, "null", 0, (SaAlgorithm?)null)));
        Assert.That(v6.Lifetime, Is.EqualTo(Lifetime.Unlimited));

        var ipcomp = PfKeyDecoder.Sa(Parse(AfKeyCaptures.AddReplyIpcomp));
        Assert.That((ipcomp.Id.Protocol, ipcomp.Id.Spi, ipcomp.Compression?.Algorithm.Name, ipcomp.Encryption), Is.EqualTo((IpsecProtocol.IpComp, 0x303u, "deflate", (SaAlgorithm?)null)));

        var larval = Parse(AfKeyCaptures.GetSpiReply);
        var sa = PfKeyDecoder.Sa(larval);
        Assert.That(sa.Id, Is.EqualTo(new SaId(Right, Left, IpsecProtocol.Esp, 0x5552)));
        Assert.That((sa.Mode, sa.ReqId, sa.Encryption, sa.Authentication, sa.Lifetime.Hard.AddSeconds), Is.EqualTo((IpsecMode.Transport, 9u, (SaAlgorithm?)null, (SaAlgorithm?)null, 30UL)));
        Assert.That(larval.Sa()!.Value.State, Is.EqualTo(0), "SADB_SASTATE_LARVAL");
        Assert.That(PfKeyDecoder.Event(larval), Is.Null, "a GETSPI answer is no event");
    }

    [Test]
    public void SaWrittenByXfrmReadsWithoutSelectorAndWithPfKeysIcv()
    {
        // Added with `auth-trunc hmac(sha256) ... 128` and a selector: PF_KEY reports neither the 128 nor the selector.
        var m = Parse(AfKeyCaptures.DumpRecordXfrmTunnelWithSelector);
        Assert.That((m.Header.Type, m.Header.Sequence), Is.EqualTo((10, 1u)));
        var sa = PfKeyDecoder.Sa(m);
        Assert.That(sa.Id, Is.EqualTo(new SaId(Left, Right, IpsecProtocol.Esp, 0x3000)));
        Assert.That((sa.Mode, sa.ReqId, sa.Selector, sa.Authentication!.IcvBits, sa.Authentication.Key.ToArray()),
            Is.EqualTo((IpsecMode.Tunnel, 3u, (Selector?)null, 96, Enumerable.Repeat((byte)0x11, 32).ToArray())));
        Assert.That(m.Address(7), Is.EqualTo(new SadbAddress(255, 16, IPAddress.Parse("10.1.0.0"), 0)), "only the selector's source survives, as ADDRESS_PROXY");
        Assert.That(Parse(AfKeyCaptures.DumpRecordLast).Header.Sequence, Is.Zero, "the last dump record is numbered 0");
    }

    [Test]
    public void PoliciesFromSpdAddBroadcasts()
    {
        var transport = PfKeyDecoder.Policy(Parse(AfKeyCaptures.SpdAddReplyTransportBundle));
        Assert.That(transport with { Current = null }, Is.EqualTo(new SecurityPolicy(
            new Selector(AddressPrefix.Parse("192.168.1.10/32"), AddressPrefix.Parse("192.168.1.20/32"), 6, 21, 0), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Use), new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Transport, IpsecLevel.Require)])
        { Priority = 0x3ffffffb, Index = 1 }));

        var tunnel = PfKeyDecoder.Policy(Parse(AfKeyCaptures.SpdAddReplyTunnelBundleIn));
        Assert.That(tunnel.Requests, Is.EqualTo(new[]
        {
            new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Tunnel, IpsecLevel.Unique, 5, Right, Left),
            new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique, 16384), // "unique" without a number: the kernel's reqid
        }));
        Assert.That((tunnel.Direction, tunnel.Index, tunnel.Selector.UpperProtocol), Is.EqualTo((PolicyDirection.In, 8u, (byte?)null)));

        var v6 = Parse(AfKeyCaptures.SpdAddReplyV6TunnelOut);
        Assert.That(PfKeyDecoder.Event(v6), Is.TypeOf<PolicyAddedEvent>());
        var policy = ((PolicyAddedEvent)PfKeyDecoder.Event(v6)!).Policy;
        Assert.That(policy.Requests.Single(), Is.EqualTo(new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"))));
        Assert.That(policy.Selector, Is.EqualTo(new Selector(AddressPrefix.Parse("fd77:1::/64"), AddressPrefix.Parse("fd77:2::/64"))));
        Assert.That(policy.Index, Is.EqualTo(17u));
    }

    [Test]
    public void AcquireAndExpire()
    {
        var acquire = Parse(AfKeyCaptures.Acquire);
        var full = new SecurityPolicy(new Selector(AddressPrefix.Host(Left), AddressPrefix.Parse("10.77.0.5/32"), 17), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport)])
        { Index = 25 };
        var e = PfKeyDecoder.Acquire(acquire, full);
        Assert.That(e, Is.EqualTo(new AcquireEvent(Left, IPAddress.Parse("10.77.0.5"), IpsecProtocol.Esp, full.Selector, full, 1)));
        var withoutPolicy = PfKeyDecoder.Acquire(acquire, null);
        Assert.That((withoutPolicy.Policy.Index, withoutPolicy.Policy.Priority, withoutPolicy.Sequence), Is.EqualTo((25u, 0x80000000u, 1u)));

        var expire = PfKeyDecoder.Event(Parse(AfKeyCaptures.ExpireHard));
        Assert.That(expire, Is.TypeOf<SaExpiredEvent>());
        var expired = (SaExpiredEvent)expire!;
        Assert.That((expired.Hard, expired.Sa.Id.Spi, expired.Sa.Lifetime.Hard.AddSeconds), Is.EqualTo((true, 0x2010u, 3UL)));
    }

    [Test]
    public void ErrorAnswersAndRegister()
    {
        Assert.That(Parse(AfKeyCaptures.ErrorReplyEnosys).Header.Errno, Is.EqualTo(38));
        Assert.That(Parse(AfKeyCaptures.ErrorReplyEsrch).Header.Errno, Is.EqualTo(3));
        Assert.That(PfKeyDecoder.Event(Parse(AfKeyCaptures.ErrorReplyEsrch)), Is.Null);
        var register = Parse(AfKeyCaptures.RegisterReplyEsp);
        Assert.That(register.Supported(15), Does.Contain(new SadbSupportedAlgorithm(12, 8, 128, 256)));
        Assert.That(register.Supported(15), Does.Contain(new SadbSupportedAlgorithm(13, 8, 160, 288)));
        Assert.That(register.Supported(14).Select(a => a.Id), Is.EqualTo(new byte[] { 251, 2, 3, 5, 6, 7, 8, 9 }));
        // Every integrity and cipher the kernel offers over PF_KEY is in the registry under that SADB id.
        foreach (var a in register.Supported(14))
            Assert.That(AlgorithmRegistry.FromSadbId(AlgorithmKind.Authentication, a.Id), Is.Not.Null, $"auth {a.Id}");
        foreach (var a in register.Supported(15))
            Assert.That(AlgorithmRegistry.FromSadbId(AlgorithmKind.Encryption, a.Id)?.KeyLengths?.Allows(a.MinBits), Is.True, $"cipher {a.Id}");
    }

    [Test]
    public void OurMessagesReadBackAsWritten()
    {
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Parse("fd77:1::/64"), AddressPrefix.Parse("fd77:2::/64"), 58, 135, 0), PolicyDirection.Fwd, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Tunnel, IpsecLevel.Unique, 5, IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"))])
        { Priority = 10, Lifetime = new Lifetime(new LifetimeLimits(Bytes: 100), new LifetimeLimits(Bytes: 200)), SecurityContext = new SecurityContext(1, 1, "system_u:object_r:ipsec_spd_t:s0") };
        Assert.That(PfKeyDecoder.Policy(SadbMessage.Parse(PfKeyMessages.SpdAdd(policy, false, 5, 6))), Is.EqualTo(policy));

        var sa = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0xabcdef01)
        {
            Mode = IpsecMode.Tunnel,
            ReqId = 3,
            ReplayWindow = 16,
            Flags = SaFlags.NoPmtuDiscovery | SaFlags.DecapDscp,
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "blowfish-cbc"), Range(7)),
            Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha512"), Range(64)),
            Lifetime = new Lifetime(new LifetimeLimits(1, 2, 3, 4), new LifetimeLimits(5, 6, 7, 8)),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdpNonIke, 500, 4500, IPAddress.Parse("192.168.0.9")),
            SecurityContext = new SecurityContext(1, 1, "u:r:t:s0"),
        };
        Assert.That(PfKeyDecoder.Sa(SadbMessage.Parse(PfKeyMessages.AddSa(sa, false, 5, 6))), Is.EqualTo(sa));
    }

    [Test]
    public void MalformedMessagesNameTheField()
    {
        var good = Convert.FromHexString(AfKeyCaptures.SpdAddReplyTransportBundle);
        Assert.Multiple(() =>
        {
            Assert.That(() => SadbMessage.Parse(good.AsSpan(0, 10)), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("sadb_msg needs 16 bytes"));
            Assert.That(() => SadbMessage.Parse(good.AsSpan(0, good.Length - 8)), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("sadb_msg_len 26 words"));
            var version = (byte[])good.Clone();
            version[0] = 1;
            Assert.That(() => SadbMessage.Parse(version), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("sadb_msg_version 1"));
            var overrun = (byte[])good.Clone();
            overrun[16] = 40; // ADDRESS_SRC claims 40 words
            Assert.That(() => SadbMessage.Parse(overrun), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("extension type 5 at byte 16 (320 bytes) runs past"));
            var twice = (byte[])good.Clone();
            twice[18] = 6; // ADDRESS_SRC relabelled as a second ADDRESS_DST
            Assert.That(() => SadbMessage.Parse(twice), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("extension type 6 appears twice"));
            var family = (byte[])good.Clone();
            family[24] = 7; // sockaddr family of ADDRESS_SRC
            Assert.That(() => PfKeyDecoder.Policy(SadbMessage.Parse(family)), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("sockaddr family 7"));
            var direction = (byte[])good.Clone();
            direction[16 + 24 + 24 + 96 + 6] = 9; // sadb_x_policy_dir
            Assert.That(() => PfKeyDecoder.Policy(SadbMessage.Parse(direction)), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("sadb_x_policy_dir 9"));
            var request = (byte[])good.Clone();
            request[16 + 24 + 24 + 96 + 16] = 200; // first ipsecrequest length
            Assert.That(() => SadbMessage.Parse(request).Policy(), Throws.TypeOf<PfKeyFormatException>().With.Message.Contains("sadb_x_ipsecrequest #1: length 200"));
        });
    }
}
