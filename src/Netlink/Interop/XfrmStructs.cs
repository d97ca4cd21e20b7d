using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Mirrors of <linux/xfrm.h>. Field names follow the header; host byte order unless marked "big endian".
// Sizes are asserted against the header in tests (InteropLayoutTests).
#pragma warning disable CA1815 // plain data mirrors, never compared
namespace KernelIpsec.Netlink.Interop;

/// <summary><c>typedef union { __be32 a4; __be32 a6[4]; struct in6_addr in6; } xfrm_address_t;</c> (16 bytes, 4-aligned).</summary>
[InlineArray(4)]
internal struct XfrmAddress
{
    private uint element0;
}

/// <summary><c>struct xfrm_selector</c> (56 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmSelector
{
    public XfrmAddress Daddr;
    public XfrmAddress Saddr;
    public ushort Dport;        // big endian
    public ushort DportMask;    // big endian
    public ushort Sport;        // big endian
    public ushort SportMask;    // big endian
    public ushort Family;
    public byte PrefixlenD;
    public byte PrefixlenS;
    public byte Proto;
    public int Ifindex;
    public uint User;
}

/// <summary><c>struct xfrm_id { xfrm_address_t daddr; __be32 spi; __u8 proto; }</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmId
{
    public XfrmAddress Daddr;
    public uint Spi;            // big endian
    public byte Proto;
}

/// <summary><c>struct xfrm_lifetime_cfg</c> (64 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmLifetimeCfg
{
    public ulong SoftByteLimit;
    public ulong HardByteLimit;
    public ulong SoftPacketLimit;
    public ulong HardPacketLimit;
    public ulong SoftAddExpiresSeconds;
    public ulong HardAddExpiresSeconds;
    public ulong SoftUseExpiresSeconds;
    public ulong HardUseExpiresSeconds;
}

/// <summary><c>struct xfrm_lifetime_cur</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmLifetimeCur
{
    public ulong Bytes;
    public ulong Packets;
    public ulong AddTime;
    public ulong UseTime;
}

/// <summary><c>struct xfrm_stats</c> (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmStats
{
    public uint ReplayWindow;
    public uint Replay;
    public uint IntegrityFailed;
}

/// <summary><c>struct xfrm_usersa_info</c> (224 bytes): NEWSA/UPDSA body and what GETSA/dumps return.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUsersaInfo
{
    public XfrmSelector Sel;
    public XfrmId Id;
    public XfrmAddress Saddr;
    public XfrmLifetimeCfg Lft;
    public XfrmLifetimeCur Curlft;
    public XfrmStats Stats;
    public uint Seq;
    public uint Reqid;
    public ushort Family;
    public byte Mode;
    public byte ReplayWindow;
    public byte Flags;
}

/// <summary><c>struct xfrm_usersa_id { xfrm_address_t daddr; __be32 spi; __u16 family; __u8 proto; }</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUsersaId
{
    public XfrmAddress Daddr;
    public uint Spi;            // big endian
    public ushort Family;
    public byte Proto;
}

/// <summary><c>struct xfrm_userspi_info { struct xfrm_usersa_info info; __u32 min; __u32 max; }</c> (232 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserspiInfo
{
    public XfrmUsersaInfo Info;
    public uint Min;
    public uint Max;
}

/// <summary><c>struct xfrm_userpolicy_info</c> (168 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserpolicyInfo
{
    public XfrmSelector Sel;
    public XfrmLifetimeCfg Lft;
    public XfrmLifetimeCur Curlft;
    public uint Priority;
    public uint Index;
    public byte Dir;
    public byte Action;
    public byte Flags;
    public byte Share;
}

/// <summary><c>struct xfrm_userpolicy_id { struct xfrm_selector sel; __u32 index; __u8 dir; }</c> (64 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserpolicyId
{
    public XfrmSelector Sel;
    public uint Index;
    public byte Dir;
}

/// <summary><c>struct xfrm_user_tmpl</c> (64 bytes): one XFRMA_TMPL array element.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserTmpl
{
    public XfrmId Id;
    public ushort Family;
    public XfrmAddress Saddr;
    public uint Reqid;
    public byte Mode;
    public byte Share;
    public byte Optional;
    public uint Aalgos;
    public uint Ealgos;
    public uint Calgos;
}

/// <summary><c>struct xfrm_encap_tmpl { __u16 encap_type; __be16 encap_sport; __be16 encap_dport; xfrm_address_t encap_oa; }</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmEncapTmpl
{
    public ushort EncapType;
    public ushort EncapSport;   // big endian
    public ushort EncapDport;   // big endian
    public XfrmAddress EncapOa;
}

/// <summary><c>struct xfrm_user_sec_ctx { __u16 len; __u16 exttype; __u8 ctx_alg; __u8 ctx_doi; __u16 ctx_len; }</c> (8 bytes) + context.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserSecCtx
{
    public ushort Len;
    public ushort Exttype;
    public byte CtxAlg;
    public byte CtxDoi;
    public ushort CtxLen;
}

/// <summary><c>struct xfrm_user_acquire</c> (280 bytes), followed by XFRMA_TMPL.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserAcquire
{
    public XfrmId Id;
    public XfrmAddress Saddr;
    public XfrmSelector Sel;
    public XfrmUserpolicyInfo Policy;
    public uint Aalgos;
    public uint Ealgos;
    public uint Calgos;
    public uint Seq;
}

/// <summary><c>struct xfrm_user_expire { struct xfrm_usersa_info state; __u8 hard; }</c> (232 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserExpire
{
    public XfrmUsersaInfo State;
    public byte Hard;
}

/// <summary>
/// <c>struct xfrm_user_mapping { struct xfrm_usersa_id id; __u32 reqid; xfrm_address_t old_saddr, new_saddr;
/// __be16 old_sport, new_sport; }</c> (64 bytes): XFRM_MSG_MAPPING, an inbound ESP-in-UDP SA's peer seen at a new endpoint.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserMapping
{
    public XfrmUsersaId Id;
    public uint Reqid;
    public XfrmAddress OldSaddr;
    public XfrmAddress NewSaddr;
    public ushort OldSport;     // big endian
    public ushort NewSport;     // big endian
}

/// <summary><c>struct xfrm_user_polexpire { struct xfrm_userpolicy_info pol; __u8 hard; }</c> (176 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserPolexpire
{
    public XfrmUserpolicyInfo Pol;
    public byte Hard;
}

/// <summary><c>struct xfrm_usersa_flush { __u8 proto; }</c> (1 byte).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUsersaFlush
{
    public byte Proto;
}

/// <summary><c>struct xfrm_userpolicy_type { __u8 type; __u16 reserved1; __u8 reserved2; }</c> (6 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmUserpolicyType
{
    public byte Type;
    public ushort Reserved1;
    public byte Reserved2;
}

/// <summary><c>struct xfrm_replay_state { __u32 oseq; __u32 seq; __u32 bitmap; }</c> (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct XfrmReplayState
{
    public uint Oseq;
    public uint Seq;
    public uint Bitmap;
}
