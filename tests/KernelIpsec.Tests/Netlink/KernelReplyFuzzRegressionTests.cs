using System.Runtime.InteropServices;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.NetlinkProtocol;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Netlink.Xfrm;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink;

/// <summary>
/// Kernel replies the coverage-guided fuzzer (tests/KernelIpsec.Fuzz, target pfkey) made the SA decoders throw
/// ArgumentException on, an exception the request path does not expect, so `setkey -D` or the daemon's dump
/// would die on one odd entry. The PF_KEY inputs are the fuzzer's crash files (regressions/pfkey); the XFRM
/// ones are a captured SA with the same fields changed.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class KernelReplyFuzzRegressionTests
{
    private const string PfKeySoftAboveHard =
        "02010003180000006d0000007e0000000200010000f055520000000000000000040003000000000000000000000000001e0000000000000000000000008e0000"
        + "040004000000000000000000000000f9ffff220000000000000000000000000004000200000000000000000000000000a55b046b000000000000000000000000"
        + "0300050000200000020000000a4d000200000000000000000300060000200000020000000a4d0001000000000000000002001300010000000000000009000000";

    private const string PfKeyUsedPastYear9999 =
        "02010003180000076d0000007e00000002000100000055520000000000000000040003000000000000000000000000001e000000000000000000000000000000"
        + "040004000000010000000000000000000000000000000000000000000000000004000200000000000000000000000000a55b046b00000000ff000000e0000000"
        + "0300050000200000020000000a4d000200000000000000000300060000200000020000000a4d0001000000000000000002001300010000000000000009000000";

    private const string PfKeyEmptySecurityContext =
        "0201aa03180000006d0000007e00000002000100000055520000000000000000040003000000000000000000000000001e000000000000000000000000000000"
        + "040018000000000000000000000000000000000000000000000000000000000004000200000000000000000000000000a55b046b0000000000000000f9000000"
        + "0300050000200000020000000a4d400200000000000000000300060000200000020000000a4d0001000000000000000002001300010000000000000009000000";

    [Test]
    public void PfKey_sa_whose_soft_lifetime_exceeds_its_hard_one_reads_as_the_kernel_holds_it()
    {
        var sa = PfKeyDecoder.Sa(SadbMessage.Parse(Convert.FromHexString(PfKeySoftAboveHard)));

        Assert.That(sa.Lifetime.Soft.AddSeconds, Is.EqualTo(2293759));
        Assert.That(sa.Lifetime.Hard.AddSeconds, Is.EqualTo(30));
    }

    [Test]
    public void PfKey_sa_last_used_after_year_9999_reads_with_the_latest_time_there_is()
    {
        var sa = PfKeyDecoder.Sa(SadbMessage.Parse(Convert.FromHexString(PfKeyUsedPastYear9999)));

        Assert.That(sa.Current!.LastUsed, Is.EqualTo(DateTimeOffset.MaxValue));
    }

    private const string PfKeyIpcompCpiAbove16Bits =
        "020100091b0000006b0000007e000000020001000001030300010006000000000400030000000000000000000000000000000000000000000000000000000000"
        + "040000000015000000000400020000000000000000000000000000000000150004000200000000000000000000000000a05b046b000000100000000000000000"
        + "0300050000200000020000000a4d000100000000000000000300060000200000020000000a4d0002000000ff0000000003000700ff0000000200000000000000"
        + "000000000000000002006400010000000000000000000000";

    [Test]
    public void PfKey_ipcomp_sa_with_a_cpi_above_16_bits_is_a_malformed_message()
    {
        var m = SadbMessage.Parse(Convert.FromHexString(PfKeyIpcompCpiAbove16Bits));

        var e = Assert.Throws<PfKeyFormatException>(() => PfKeyDecoder.Sa(m));
        Assert.That(e!.Message, Does.Contain("IPComp CPI 0x10303 in sadb_sa_spi does not fit in 16 bits"));
    }

    [Test]
    public void PfKey_sa_with_an_empty_security_context_is_a_malformed_message()
    {
        var m = SadbMessage.Parse(Convert.FromHexString(PfKeyEmptySecurityContext));

        var e = Assert.Throws<PfKeyFormatException>(() => PfKeyDecoder.Sa(m));
        Assert.That(e!.Message, Does.Contain("SADB_X_EXT_SEC_CTX"));
    }

    [Test]
    public void Xfrm_sa_whose_soft_lifetime_exceeds_its_hard_one_and_added_after_year_9999_reads_as_the_kernel_holds_it()
    {
        var body = Convert.FromHexString(IpXfrmCaptures.StateAddEspTunnel);
        var info = MemoryMarshal.Read<XfrmUsersaInfo>(body);
        info.Lft.SoftAddExpiresSeconds = 100;
        info.Lft.HardAddExpiresSeconds = 50;
        info.Curlft.AddTime = ulong.MaxValue;
        MemoryMarshal.Write(body, in info);

        var sa = XfrmDecoder.Sa(body);

        Assert.That(sa.Lifetime.Soft.AddSeconds, Is.EqualTo(100));
        Assert.That(sa.Lifetime.Hard.AddSeconds, Is.EqualTo(50));
        Assert.That(sa.Current!.Added, Is.EqualTo(DateTimeOffset.MaxValue));
    }

    [Test]
    public void Xfrm_sa_with_an_empty_security_context_is_a_malformed_attribute()
    {
        var body = Convert.FromHexString(IpXfrmCaptures.StateAddEspTunnel);
        // XFRMA_SEC_CTX (8) holding an xfrm_user_sec_ctx with ctx_len 0: len, exttype, doi, alg, ctx_len.
        byte[] attribute = [12, 0, 8, 0, 8, 0, 8, 0, 1, 1, 0, 0];
        var e = Assert.Throws<NetlinkFormatException>(() => XfrmDecoder.Sa([.. body, .. attribute]));
        Assert.That(e!.Message, Does.Contain("XFRMA_SEC_CTX"));
    }

    [Test]
    public void Xfrm_ipcomp_sa_with_a_cpi_above_16_bits_is_a_malformed_message()
    {
        // The PF_KEY crash's field on the XFRM side: a captured SA turned into IPComp (108) with SPI 0x10303.
        var body = Convert.FromHexString(IpXfrmCaptures.StateAddEspTunnel);
        var info = MemoryMarshal.Read<XfrmUsersaInfo>(body);
        info.Id.Proto = 108;
        info.Id.Spi = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(0x10303u);
        MemoryMarshal.Write(body, in info);
        var e = Assert.Throws<NetlinkFormatException>(() => XfrmDecoder.Sa(body));
        Assert.That(e!.Message, Does.EndWith("IPComp CPI 0x10303 in xfrm_usersa_info does not fit in 16 bits"));
    }

    private static byte[] Regression(string name) =>
        File.ReadAllBytes(Path.Combine(KernelIpsec.Tests.Packaging.RepositoryRoot.Find(), "tests", "KernelIpsec.Fuzz", "regressions", name));

    [Test]
    public void Xfrm_policy_whose_selector_prefix_is_longer_than_its_address_is_a_malformed_message()
    {
        // The fuzzer's datagram: one XFRM_MSG_NEWPOLICY whose selector says 10.77.1.2/127.
        var datagram = Regression("xfrm/selector-prefix-longer-than-address");
        var results = new List<KernelIpsec.Netlink.Model.SecurityPolicy>();
        var interrupted = false;

        var e = Assert.Throws<NetlinkFormatException>(() => XfrmKernel.Process(datagram, 7, isDump: true, expectsAck: false, "dump policies", "",
            (type, body) => type == XfrmConstants.XFRM_MSG_NEWPOLICY ? XfrmDecoder.Policy(body) : null, results, ref interrupted));
        Assert.That(e!.Message, Does.Contain("prefixlen_d 127"));
    }

    [TestCase("pfkey/ipsecrequest-mode-any", "mode must be transport or tunnel")]
    [TestCase("pfkey/ipsecrequest-tunnel-without-endpoints", "tunnel mode needs both endpoints")]
    public void PfKey_policy_request_refused_by_the_model_is_a_malformed_message(string file, string why)
    {
        var m = SadbMessage.Parse(Regression(file));

        var e = Assert.Throws<PfKeyFormatException>(() => PfKeyDecoder.Policy(m));
        Assert.That(e!.Message, Does.Contain("ipsecrequest #").And.Contain(why));
    }
}
