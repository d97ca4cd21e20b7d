using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>
/// The struct mirrors against &lt;linux/xfrm.h&gt; and &lt;linux/netlink.h&gt; on x86-64: sizes and offsets
/// printed by gcc (sizeof/offsetof) from linux-libc-dev on this host.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class InteropLayoutTests
{
    [Test]
    public void Sizes() => Assert.Multiple(() =>
    {
        Assert.That(Unsafe.SizeOf<SockaddrNl>(), Is.EqualTo(12), "sockaddr_nl");
        Assert.That(Unsafe.SizeOf<XfrmAddress>(), Is.EqualTo(16), "xfrm_address_t");
        Assert.That(Unsafe.SizeOf<XfrmSelector>(), Is.EqualTo(56), "xfrm_selector");
        Assert.That(Unsafe.SizeOf<XfrmId>(), Is.EqualTo(24), "xfrm_id");
        Assert.That(Unsafe.SizeOf<XfrmLifetimeCfg>(), Is.EqualTo(64), "xfrm_lifetime_cfg");
        Assert.That(Unsafe.SizeOf<XfrmLifetimeCur>(), Is.EqualTo(32), "xfrm_lifetime_cur");
        Assert.That(Unsafe.SizeOf<XfrmStats>(), Is.EqualTo(12), "xfrm_stats");
        Assert.That(Unsafe.SizeOf<XfrmUsersaInfo>(), Is.EqualTo(224), "xfrm_usersa_info");
        Assert.That(Unsafe.SizeOf<XfrmUsersaId>(), Is.EqualTo(24), "xfrm_usersa_id");
        Assert.That(Unsafe.SizeOf<XfrmUsersaFlush>(), Is.EqualTo(1), "xfrm_usersa_flush");
        Assert.That(Unsafe.SizeOf<XfrmUserspiInfo>(), Is.EqualTo(232), "xfrm_userspi_info");
        Assert.That(Unsafe.SizeOf<XfrmUserpolicyInfo>(), Is.EqualTo(168), "xfrm_userpolicy_info");
        Assert.That(Unsafe.SizeOf<XfrmUserpolicyId>(), Is.EqualTo(64), "xfrm_userpolicy_id");
        Assert.That(Unsafe.SizeOf<XfrmUserTmpl>(), Is.EqualTo(64), "xfrm_user_tmpl");
        Assert.That(Unsafe.SizeOf<XfrmEncapTmpl>(), Is.EqualTo(24), "xfrm_encap_tmpl");
        Assert.That(Unsafe.SizeOf<XfrmUserSecCtx>(), Is.EqualTo(8), "xfrm_user_sec_ctx");
        Assert.That(Unsafe.SizeOf<XfrmUserAcquire>(), Is.EqualTo(280), "xfrm_user_acquire");
        Assert.That(Unsafe.SizeOf<XfrmUserExpire>(), Is.EqualTo(232), "xfrm_user_expire");
        Assert.That(Unsafe.SizeOf<XfrmUserPolexpire>(), Is.EqualTo(176), "xfrm_user_polexpire");
        Assert.That(Unsafe.SizeOf<XfrmUserMapping>(), Is.EqualTo(64), "xfrm_user_mapping");
        Assert.That(Unsafe.SizeOf<XfrmUserpolicyType>(), Is.EqualTo(6), "xfrm_userpolicy_type");
        Assert.That(Unsafe.SizeOf<XfrmReplayState>(), Is.EqualTo(12), "xfrm_replay_state");
    });

    [TestCase(typeof(XfrmSelector), "Dport", 32)]
    [TestCase(typeof(XfrmSelector), "Family", 40)]
    [TestCase(typeof(XfrmSelector), "PrefixlenD", 42)]
    [TestCase(typeof(XfrmSelector), "Proto", 44)]
    [TestCase(typeof(XfrmSelector), "Ifindex", 48)]
    [TestCase(typeof(XfrmUsersaInfo), "Id", 56)]
    [TestCase(typeof(XfrmUsersaInfo), "Lft", 96)]
    [TestCase(typeof(XfrmUsersaInfo), "Stats", 192)]
    [TestCase(typeof(XfrmUsersaInfo), "Seq", 204)]
    [TestCase(typeof(XfrmUsersaInfo), "Family", 212)]
    [TestCase(typeof(XfrmUsersaInfo), "ReplayWindow", 215)]
    [TestCase(typeof(XfrmUsersaInfo), "Flags", 216)]
    [TestCase(typeof(XfrmUserspiInfo), "Min", 224)]
    [TestCase(typeof(XfrmUserpolicyInfo), "Priority", 152)]
    [TestCase(typeof(XfrmUserpolicyInfo), "Dir", 160)]
    [TestCase(typeof(XfrmUserpolicyInfo), "Share", 163)]
    [TestCase(typeof(XfrmUserpolicyId), "Index", 56)]
    [TestCase(typeof(XfrmUserpolicyId), "Dir", 60)]
    [TestCase(typeof(XfrmUserTmpl), "Family", 24)]
    [TestCase(typeof(XfrmUserTmpl), "Saddr", 28)]
    [TestCase(typeof(XfrmUserTmpl), "Reqid", 44)]
    [TestCase(typeof(XfrmUserTmpl), "Optional", 50)]
    [TestCase(typeof(XfrmUserTmpl), "Aalgos", 52)]
    [TestCase(typeof(XfrmEncapTmpl), "EncapOa", 8)]
    [TestCase(typeof(XfrmUserAcquire), "Saddr", 24)]
    [TestCase(typeof(XfrmUserAcquire), "Sel", 40)]
    [TestCase(typeof(XfrmUserAcquire), "Policy", 96)]
    [TestCase(typeof(XfrmUserAcquire), "Aalgos", 264)]
    [TestCase(typeof(XfrmUserAcquire), "Seq", 276)]
    [TestCase(typeof(XfrmUserExpire), "Hard", 224)]
    [TestCase(typeof(XfrmUserPolexpire), "Hard", 168)]
    [TestCase(typeof(XfrmUserMapping), "Reqid", 24)]
    [TestCase(typeof(XfrmUserMapping), "OldSaddr", 28)]
    [TestCase(typeof(XfrmUserMapping), "NewSaddr", 44)]
    [TestCase(typeof(XfrmUserMapping), "OldSport", 60)]
    [TestCase(typeof(XfrmUserMapping), "NewSport", 62)]
    public void Offsets(Type type, string field, int offset) =>
        Assert.That((int)Marshal.OffsetOf(type, field), Is.EqualTo(offset), $"{type.Name}.{field}");
}
