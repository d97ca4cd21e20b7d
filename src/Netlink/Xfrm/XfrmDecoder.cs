using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.NetlinkProtocol;
using static KernelIpsec.Netlink.Interop.XfrmConstants;

namespace KernelIpsec.Netlink.Xfrm;

/// <summary>Turns XFRM messages from the kernel (replies, dump records, multicast notifications) into model records.</summary>
internal static class XfrmDecoder
{
    /// <summary>An SA from a NEWSA/UPDSA/GETSA reply or dump record: xfrm_usersa_info + attributes.</summary>
    public static SecurityAssociation Sa(ReadOnlySpan<byte> body)
    {
        var info = Read<XfrmUsersaInfo>(body, "xfrm_usersa_info");
        return Sa(info, Attributes(body, Unsafe.SizeOf<XfrmUsersaInfo>()));
    }

    /// <summary>
    /// Like <see cref="Sa(ReadOnlySpan{byte})"/> but null for the kernel's own helper states: an IPComp tunnel SA
    /// comes with an IPIP (4) or IPv6 (41) state for packets sent uncompressed, which PF_KEY dumps never show.
    /// </summary>
    public static SecurityAssociation? IpsecSa(ReadOnlySpan<byte> body) =>
        IsIpsec(Read<XfrmUsersaInfo>(body, "xfrm_usersa_info").Id.Proto) ? Sa(body) : null;

    private static bool IsIpsec(byte proto) => proto is (byte)IpsecProtocol.Esp or (byte)IpsecProtocol.Ah or (byte)IpsecProtocol.IpComp;

    /// <summary>A policy from a NEWPOLICY/UPDPOLICY/GETPOLICY reply or dump record: xfrm_userpolicy_info + attributes.</summary>
    public static SecurityPolicy Policy(ReadOnlySpan<byte> body)
    {
        var info = Read<XfrmUserpolicyInfo>(body, "xfrm_userpolicy_info");
        return Policy(info, Attributes(body, Unsafe.SizeOf<XfrmUserpolicyInfo>()));
    }

    /// <summary>
    /// A policy dump record, or null for a per-socket policy (direction 3-5, XFRM_POLICY_MAX + dir): the kernel
    /// walks them with the SPD, and another IKE daemon's socket bypass is not a policy of the SPD (`ip xfrm policy`
    /// marks it "socket", PF_KEY's setkey -DP never lists it).
    /// </summary>
    public static SecurityPolicy? DumpedPolicy(ReadOnlySpan<byte> body)
    {
        var info = Read<XfrmUserpolicyInfo>(body, "xfrm_userpolicy_info");
        return info.Dir > (byte)PolicyDirection.Fwd ? null : Policy(info, Attributes(body, Unsafe.SizeOf<XfrmUserpolicyInfo>()));
    }

    /// <summary>A multicast notification as an event; null for message types no event stands for.</summary>
    public static KernelEvent? Event(ushort type, ReadOnlySpan<byte> body)
    {
        NetlinkAttributes attrs;
        switch (type)
        {
            case XFRM_MSG_NEWSA:
                return IpsecSa(body) is { } added ? new SaAddedEvent(added) : null;
            case XFRM_MSG_UPDSA:
                return IpsecSa(body) is { } updated ? new SaUpdatedEvent(updated) : null;
            case XFRM_MSG_DELSA:
                {
                    // xfrm_usersa_id, then XFRMA_SA (the whole xfrm_usersa_info) and the SA's other attributes.
                    attrs = Attributes(body, Unsafe.SizeOf<XfrmUsersaId>());
                    var info = attrs.GetStruct<XfrmUsersaInfo>(XFRMA_SA, "XFRMA_SA") ?? throw new NetlinkFormatException("DELSA notification without XFRMA_SA");
                    return IsIpsec(info.Id.Proto) ? new SaDeletedEvent(Sa(info, attrs)) : null;
                }

            case XFRM_MSG_EXPIRE:
                {
                    var expire = Read<XfrmUserExpire>(body, "xfrm_user_expire");
                    attrs = Attributes(body, Unsafe.SizeOf<XfrmUserExpire>());
                    return IsIpsec(expire.State.Id.Proto) ? new SaExpiredEvent(Sa(expire.State, attrs), expire.Hard != 0) : null;
                }

            case XFRM_MSG_NEWPOLICY:
                return new PolicyAddedEvent(Policy(body));
            case XFRM_MSG_UPDPOLICY:
                return new PolicyUpdatedEvent(Policy(body));
            case XFRM_MSG_DELPOLICY:
                {
                    attrs = Attributes(body, Unsafe.SizeOf<XfrmUserpolicyId>());
                    var info = attrs.GetStruct<XfrmUserpolicyInfo>(XFRMA_POLICY, "XFRMA_POLICY") ?? throw new NetlinkFormatException("DELPOLICY notification without XFRMA_POLICY");
                    return new PolicyDeletedEvent(Policy(info, attrs));
                }

            case XFRM_MSG_POLEXPIRE:
                {
                    var expire = Read<XfrmUserPolexpire>(body, "xfrm_user_polexpire");
                    attrs = Attributes(body, Unsafe.SizeOf<XfrmUserPolexpire>());
                    return new PolicyExpiredEvent(Policy(expire.Pol, attrs), expire.Hard != 0);
                }

            case XFRM_MSG_ACQUIRE:
                {
                    var acquire = Read<XfrmUserAcquire>(body, "xfrm_user_acquire");
                    attrs = Attributes(body, Unsafe.SizeOf<XfrmUserAcquire>());
                    var family = acquire.Policy.Sel.Family != 0 ? acquire.Policy.Sel.Family : acquire.Sel.Family;
                    return new AcquireEvent(
                        XfrmEncoding.Address(acquire.Saddr, family),
                        XfrmEncoding.Address(acquire.Id.Daddr, family),
                        XfrmEncoding.Protocol(acquire.Id.Proto),
                        XfrmEncoding.Selector(acquire.Sel),
                        Policy(acquire.Policy, attrs),
                        acquire.Seq);
                }

            case XFRM_MSG_FLUSHSA:
                {
                    var flush = Read<XfrmUsersaFlush>(body, "xfrm_usersa_flush");
                    return new SasFlushedEvent(flush.Proto is 0 or 255 ? null : XfrmEncoding.Protocol(flush.Proto));
                }

            case XFRM_MSG_FLUSHPOLICY:
                return new PoliciesFlushedEvent();
            case XFRM_MSG_MAPPING:
                {
                    // xfrm_send_mapping: the SA's id and reqid, its source and encap_sport (old), the packet's (new).
                    var mapping = Read<XfrmUserMapping>(body, "xfrm_user_mapping");
                    var family = mapping.Id.Family;
                    return IsIpsec(mapping.Id.Proto)
                        ? new NatMappingEvent(
                            XfrmEncoding.Protocol(mapping.Id.Proto),
                            XfrmEncoding.BigEndian(mapping.Id.Spi),
                            XfrmEncoding.Address(mapping.Id.Daddr, family),
                            mapping.Reqid,
                            new IPEndPoint(XfrmEncoding.Address(mapping.OldSaddr, family), XfrmEncoding.BigEndian(mapping.OldSport)),
                            new IPEndPoint(XfrmEncoding.Address(mapping.NewSaddr, family), XfrmEncoding.BigEndian(mapping.NewSport)))
                        : null;
                }

            default:
                return null;
        }
    }

    private static SecurityAssociation Sa(in XfrmUsersaInfo info, NetlinkAttributes attrs)
    {
        var family = info.Family;
        // An IPComp CPI is 16 bits (RFC 3173); the kernel never sends more, a message that does is malformed.
        if (XfrmEncoding.Protocol(info.Id.Proto) == IpsecProtocol.IpComp && XfrmEncoding.BigEndian(info.Id.Spi) > ushort.MaxValue)
            throw new NetlinkFormatException($"IPComp CPI 0x{XfrmEncoding.BigEndian(info.Id.Spi):x} in xfrm_usersa_info does not fit in 16 bits");
        var id = new SaId(
            XfrmEncoding.Address(info.Saddr, family),
            XfrmEncoding.Address(info.Id.Daddr, family),
            XfrmEncoding.Protocol(info.Id.Proto),
            XfrmEncoding.BigEndian(info.Id.Spi));
        var extra = attrs.Has(XFRMA_SA_EXTRA_FLAGS) && attrs.Get(XFRMA_SA_EXTRA_FLAGS).Length >= 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(attrs.Get(XFRMA_SA_EXTRA_FLAGS))
            : 0;
        SaAlgorithm? authentication = null;
        if (attrs.Has(XFRMA_ALG_AUTH_TRUNC))
            authentication = Algorithm(AlgorithmKind.Authentication, attrs.Get(XFRMA_ALG_AUTH_TRUNC), XfrmAlgoAuthHeaderSize, "XFRMA_ALG_AUTH_TRUNC");
        else if (attrs.Has(XFRMA_ALG_AUTH))
            authentication = Algorithm(AlgorithmKind.Authentication, attrs.Get(XFRMA_ALG_AUTH), XfrmAlgoHeaderSize, "XFRMA_ALG_AUTH");
        NatTraversal? nat = null;
        if (attrs.GetStruct<XfrmEncapTmpl>(XFRMA_ENCAP, "XFRMA_ENCAP") is { } encap)
        {
            nat = new NatTraversal(
                (EncapsulationType)encap.EncapType,
                XfrmEncoding.BigEndian(encap.EncapSport),
                XfrmEncoding.BigEndian(encap.EncapDport),
                XfrmEncoding.IsZero(encap.EncapOa) ? null : XfrmEncoding.Address(encap.EncapOa, family));
        }

        return new SecurityAssociation(id)
        {
            Mode = XfrmEncoding.Mode(info.Mode),
            ReqId = info.Reqid,
            ReplayWindow = info.ReplayWindow,
            Flags = (SaFlags)(info.Flags | (extra << 16)),
            Encryption = attrs.Has(XFRMA_ALG_CRYPT) ? Algorithm(AlgorithmKind.Encryption, attrs.Get(XFRMA_ALG_CRYPT), XfrmAlgoHeaderSize, "XFRMA_ALG_CRYPT") : null,
            Authentication = authentication,
            Aead = attrs.Has(XFRMA_ALG_AEAD) ? Algorithm(AlgorithmKind.Aead, attrs.Get(XFRMA_ALG_AEAD), XfrmAlgoAeadHeaderSize, "XFRMA_ALG_AEAD") : null,
            Compression = attrs.Has(XFRMA_ALG_COMP) ? Algorithm(AlgorithmKind.Compression, attrs.Get(XFRMA_ALG_COMP), XfrmAlgoHeaderSize, "XFRMA_ALG_COMP") : null,
            Lifetime = XfrmEncoding.Lifetime(info.Lft),
            NatTraversal = nat,
            SecurityContext = attrs.Has(XFRMA_SEC_CTX) ? SecurityContext(attrs.Get(XFRMA_SEC_CTX)) : null,
            Selector = info.Sel.Family == 0 || XfrmEncoding.IsWildcard(info.Sel) ? null : XfrmEncoding.Selector(info.Sel),
            Current = XfrmEncoding.Current(info.Curlft),
        };
    }

    private static SecurityPolicy Policy(in XfrmUserpolicyInfo info, NetlinkAttributes attrs)
    {
        var selector = XfrmEncoding.Selector(info.Sel);
        var requests = new List<IpsecRequest>();
        var templates = attrs.Get(XFRMA_TMPL);
        var size = Unsafe.SizeOf<XfrmUserTmpl>();
        if (templates.Length % size != 0)
            throw new NetlinkFormatException($"XFRMA_TMPL of {templates.Length} bytes is not a whole number of {size}-byte xfrm_user_tmpl");
        foreach (var t in MemoryMarshal.Cast<byte, XfrmUserTmpl>(templates))
            requests.Add(Request(t));
        if (info.Dir > (byte)PolicyDirection.Fwd)
            throw new NetlinkFormatException($"policy direction {info.Dir} is not in, out or fwd (per-socket policies are not dumped)");
        if (info.Action > (byte)PolicyAction.Block)
            throw new NetlinkFormatException($"policy action {info.Action} is not allow or block");
        return new SecurityPolicy(selector, (PolicyDirection)info.Dir, (PolicyAction)info.Action, requests)
        {
            Priority = info.Priority,
            Index = info.Index,
            Flags = (PolicyFlags)info.Flags,
            Lifetime = XfrmEncoding.Lifetime(info.Lft),
            SecurityContext = attrs.Has(XFRMA_SEC_CTX) ? SecurityContext(attrs.Get(XFRMA_SEC_CTX)) : null,
            Current = XfrmEncoding.Current(info.Curlft),
        };
    }

    /// <summary>Linux keeps "optional" and the reqid, not the level: use if optional, else unique if a reqid is set, else require.</summary>
    private static IpsecRequest Request(in XfrmUserTmpl t)
    {
        var mode = XfrmEncoding.Mode(t.Mode);
        var level = t.Optional != 0 ? IpsecLevel.Use : t.Reqid != 0 ? IpsecLevel.Unique : IpsecLevel.Require;
        var hasEndpoints = mode == IpsecMode.Tunnel || !XfrmEncoding.IsZero(t.Saddr) || !XfrmEncoding.IsZero(t.Id.Daddr);
        return new IpsecRequest(
            XfrmEncoding.Protocol(t.Id.Proto),
            mode,
            level,
            t.Reqid,
            hasEndpoints ? XfrmEncoding.Address(t.Saddr, t.Family) : null,
            hasEndpoints ? XfrmEncoding.Address(t.Id.Daddr, t.Family) : null);
    }

    private static SaAlgorithm Algorithm(AlgorithmKind kind, ReadOnlySpan<byte> payload, int headerSize, string name)
    {
        if (payload.Length < headerSize)
            throw new NetlinkFormatException($"{name} has {payload.Length} bytes, needs at least {headerSize}");
        var nameBytes = payload[..AlgoNameLength];
        var end = nameBytes.IndexOf((byte)0);
        var kernelName = Encoding.ASCII.GetString(end < 0 ? nameBytes : nameBytes[..end]);
        var keyBits = BinaryPrimitives.ReadUInt32LittleEndian(payload[AlgoNameLength..]);
        var icvBits = headerSize == XfrmAlgoAuthHeaderSize ? (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[(AlgoNameLength + 4)..]) : 0;
        var keyBytes = (int)((keyBits + 7) / 8);
        if (headerSize + keyBytes > payload.Length)
            throw new NetlinkFormatException($"{name} key_len {keyBits} bits runs past the attribute ({payload.Length - headerSize} key bytes)");
        var algorithm = AlgorithmRegistry.FromKernelName(kind, kernelName, icvBits);
        if (kind == AlgorithmKind.Authentication && headerSize == XfrmAlgoHeaderSize)
            icvBits = algorithm.IcvBits;
        return SaAlgorithm.FromKernel(algorithm, payload.Slice(headerSize, keyBytes), icvBits);
    }

    private static SecurityContext SecurityContext(ReadOnlySpan<byte> payload)
    {
        var header = Read<XfrmUserSecCtx>(payload, "xfrm_user_sec_ctx");
        var text = payload[Unsafe.SizeOf<XfrmUserSecCtx>()..];
        if (header.CtxLen > text.Length)
            throw new NetlinkFormatException($"security context ctx_len {header.CtxLen} runs past the attribute ({text.Length} bytes)");
        text = text[..header.CtxLen];
        var nul = text.IndexOf((byte)0);
        // The model refuses an empty context: from the kernel that is a malformed attribute (found by fuzzing).
        try
        {
            return new SecurityContext(header.CtxDoi, header.CtxAlg, Encoding.UTF8.GetString(nul < 0 ? text : text[..nul]));
        }
        catch (ArgumentException e)
        {
            throw new NetlinkFormatException($"XFRMA_SEC_CTX: {e.Message}");
        }
    }

    private static T Read<T>(ReadOnlySpan<byte> body, string name)
        where T : unmanaged
    {
        if (body.Length < Unsafe.SizeOf<T>())
            throw new NetlinkFormatException($"{name} needs {Unsafe.SizeOf<T>()} bytes, message body has {body.Length}");
        return MemoryMarshal.Read<T>(body);
    }

    private static NetlinkAttributes Attributes(ReadOnlySpan<byte> body, int fixedSize) =>
        new(body[Math.Min(NetlinkConstants.Align(fixedSize), body.Length)..]);
}
