using System.Buffers.Binary;
using System.Text;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.NetlinkProtocol;
using static KernelIpsec.Netlink.Interop.NetlinkConstants;
using static KernelIpsec.Netlink.Interop.XfrmConstants;

namespace KernelIpsec.Netlink.Xfrm;

/// <summary>
/// Builds the XFRM requests, laid out as iproute2's <c>ip xfrm</c> sends them (the unit tests compare with
/// captured bytes): fixed struct first, then attributes.
/// </summary>
internal static class XfrmMessages
{
    /// <summary>XFRM_MSG_NEWSA / XFRM_MSG_UPDSA: xfrm_usersa_info + ALG_CRYPT, ALG_AUTH_TRUNC, ALG_AEAD, ALG_COMP, ENCAP, SEC_CTX, SA_EXTRA_FLAGS.</summary>
    public static byte[] AddSa(SecurityAssociation sa, bool update, uint sequence)
    {
        if (sa.ReplayWindow > byte.MaxValue)
            throw new ArgumentException($"{sa.Id}: replay window {sa.ReplayWindow} exceeds 255, the most XFRM takes without ESN");
        var id = sa.Id;
        var family = XfrmEncoding.Family(id.Destination.AddressFamily);
        var info = new XfrmUsersaInfo
        {
            Sel = XfrmEncoding.Selector(sa.Selector),
            Id = new XfrmId { Daddr = XfrmEncoding.Address(id.Destination), Spi = XfrmEncoding.BigEndian(id.Spi), Proto = (byte)id.Protocol },
            Saddr = XfrmEncoding.Address(id.Source),
            Lft = XfrmEncoding.Lifetime(sa.Lifetime),
            Reqid = sa.ReqId,
            Family = family,
            Mode = XfrmEncoding.Mode(sa.Mode),
            ReplayWindow = (byte)sa.ReplayWindow,
            Flags = (byte)((uint)sa.Flags & 0xff),
        };
        var b = new NetlinkMessageBuilder(update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_ACK, sequence).Struct(info);
        if (sa.Encryption is { } enc)
            b.Attribute(XFRMA_ALG_CRYPT, Algorithm(enc, withLength: false));
        if (sa.Authentication is { } auth)
            b.Attribute(XFRMA_ALG_AUTH_TRUNC, Algorithm(auth, withLength: true));
        if (sa.Aead is { } aead)
            b.Attribute(XFRMA_ALG_AEAD, Algorithm(aead, withLength: true));
        if (sa.Compression is { } comp)
            b.Attribute(XFRMA_ALG_COMP, Algorithm(comp, withLength: false));
        if (sa.NatTraversal is { } nat)
        {
            b.Attribute(XFRMA_ENCAP, new XfrmEncapTmpl
            {
                EncapType = (ushort)nat.Type,
                EncapSport = XfrmEncoding.BigEndian(nat.SourcePort),
                EncapDport = XfrmEncoding.BigEndian(nat.DestinationPort),
                EncapOa = XfrmEncoding.Address(nat.OriginalAddress),
            });
        }

        if (sa.SecurityContext is { } ctx)
            b.Attribute(XFRMA_SEC_CTX, SecurityContext(ctx));
        var extra = (uint)sa.Flags >> 16;
        if (extra != 0)
        {
            Span<byte> value = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(value, extra);
            b.Attribute(XFRMA_SA_EXTRA_FLAGS, value);
        }

        return b.ToArray();
    }

    /// <summary>XFRM_MSG_GETSA / XFRM_MSG_DELSA: xfrm_usersa_id + XFRMA_SRCADDR.</summary>
    public static byte[] SaId(SaId id, bool delete, uint sequence)
    {
        var body = new XfrmUsersaId
        {
            Daddr = XfrmEncoding.Address(id.Destination),
            Spi = XfrmEncoding.BigEndian(id.Spi),
            Family = XfrmEncoding.Family(id.Destination.AddressFamily),
            Proto = (byte)id.Protocol,
        };
        var flags = delete ? (ushort)(NLM_F_REQUEST | NLM_F_ACK) : NLM_F_REQUEST;
        return new NetlinkMessageBuilder(delete ? XFRM_MSG_DELSA : XFRM_MSG_GETSA, flags, sequence)
            .Struct(body)
            .Attribute(XFRMA_SRCADDR, XfrmEncoding.Address(id.Source))
            .ToArray();
    }

    /// <summary>XFRM_MSG_FLUSHSA: xfrm_usersa_flush { proto } with 0 for every IPsec protocol.</summary>
    public static byte[] FlushSas(IpsecProtocol? protocol, uint sequence) =>
        new NetlinkMessageBuilder(XFRM_MSG_FLUSHSA, NLM_F_REQUEST | NLM_F_ACK, sequence)
            .Struct(new XfrmUsersaFlush { Proto = (byte)(protocol ?? 0) })
            .ToArray();

    /// <summary>XFRM_MSG_GETSA with NLM_F_DUMP and no filter.</summary>
    public static byte[] DumpSas(uint sequence) => new NetlinkMessageBuilder(XFRM_MSG_GETSA, NLM_F_REQUEST | NLM_F_DUMP, sequence).ToArray();

    /// <summary>XFRM_MSG_ALLOCSPI: xfrm_userspi_info (a larval SA's identity, reqid, mode) + min/max.</summary>
    public static byte[] AllocateSpi(SpiRequest request, uint sequence)
    {
        var range = request.EffectiveRange;
        var body = new XfrmUserspiInfo
        {
            Info = new XfrmUsersaInfo
            {
                Id = new XfrmId { Daddr = XfrmEncoding.Address(request.Destination), Proto = (byte)request.Protocol },
                Saddr = XfrmEncoding.Address(request.Source),
                Seq = request.AcquireSequence,
                Reqid = request.ReqId,
                Family = XfrmEncoding.Family(request.Destination.AddressFamily),
                Mode = XfrmEncoding.Mode(request.Mode),
            },
            Min = range.Min,
            Max = range.Max,
        };
        return new NetlinkMessageBuilder(XFRM_MSG_ALLOCSPI, NLM_F_REQUEST, sequence).Struct(body).ToArray();
    }

    /// <summary>XFRM_MSG_NEWPOLICY / XFRM_MSG_UPDPOLICY: xfrm_userpolicy_info + XFRMA_TMPL + XFRMA_SEC_CTX.</summary>
    public static byte[] AddPolicy(SecurityPolicy policy, bool update, uint sequence)
    {
        var info = new XfrmUserpolicyInfo
        {
            Sel = XfrmEncoding.Selector(policy.Selector),
            Lft = XfrmEncoding.Lifetime(policy.Lifetime),
            Priority = policy.Priority,
            Index = policy.Index,
            Dir = (byte)policy.Direction,
            Action = (byte)policy.Action,
            Flags = (byte)policy.Flags,
        };
        var b = new NetlinkMessageBuilder(update ? XFRM_MSG_UPDPOLICY : XFRM_MSG_NEWPOLICY, NLM_F_REQUEST | NLM_F_ACK, sequence).Struct(info);
        if (policy.Requests.Count > 0)
        {
            var templates = new XfrmUserTmpl[policy.Requests.Count];
            for (var i = 0; i < templates.Length; i++)
                templates[i] = Template(policy.Requests[i], policy.Selector);
            b.Attribute(XFRMA_TMPL, System.Runtime.InteropServices.MemoryMarshal.AsBytes(templates.AsSpan()));
        }

        if (policy.SecurityContext is { } ctx)
            b.Attribute(XFRMA_SEC_CTX, SecurityContext(ctx));
        return b.ToArray();
    }

    /// <summary>XFRM_MSG_GETPOLICY / XFRM_MSG_DELPOLICY: xfrm_userpolicy_id (selector + dir) + XFRMA_SEC_CTX.</summary>
    public static byte[] PolicyId(PolicyId id, bool delete, uint sequence)
    {
        var body = new XfrmUserpolicyId { Sel = XfrmEncoding.Selector(id.Selector), Dir = (byte)id.Direction };
        var flags = delete ? (ushort)(NLM_F_REQUEST | NLM_F_ACK) : NLM_F_REQUEST;
        var b = new NetlinkMessageBuilder(delete ? XFRM_MSG_DELPOLICY : XFRM_MSG_GETPOLICY, flags, sequence).Struct(body);
        if (id.SecurityContext is { } ctx)
            b.Attribute(XFRMA_SEC_CTX, SecurityContext(ctx));
        return b.ToArray();
    }

    /// <summary>XFRM_MSG_FLUSHPOLICY with no body: main policies of every direction.</summary>
    public static byte[] FlushPolicies(uint sequence) => new NetlinkMessageBuilder(XFRM_MSG_FLUSHPOLICY, NLM_F_REQUEST | NLM_F_ACK, sequence).ToArray();

    /// <summary>XFRM_MSG_GETPOLICY with NLM_F_DUMP and no body.</summary>
    public static byte[] DumpPolicies(uint sequence) => new NetlinkMessageBuilder(XFRM_MSG_GETPOLICY, NLM_F_REQUEST | NLM_F_DUMP, sequence).ToArray();

    private static XfrmUserTmpl Template(IpsecRequest r, Selector selector) => new()
    {
        Id = new XfrmId { Daddr = XfrmEncoding.Address(r.TunnelDestination), Proto = (byte)r.Protocol },
        Family = XfrmEncoding.Family(r.TunnelDestination?.AddressFamily ?? selector.Family),
        Saddr = XfrmEncoding.Address(r.TunnelSource),
        Reqid = r.ReqId,
        Mode = XfrmEncoding.Mode(r.Mode),
        Optional = r.IsOptional ? (byte)1 : (byte)0,
        Aalgos = uint.MaxValue,
        Ealgos = uint.MaxValue,
        Calgos = uint.MaxValue,
    };

    /// <summary>xfrm_algo / xfrm_algo_auth / xfrm_algo_aead: name[64], key_len in bits, [trunc/icv bits], key.</summary>
    private static byte[] Algorithm(SaAlgorithm a, bool withLength)
    {
        var header = withLength ? XfrmAlgoAuthHeaderSize : XfrmAlgoHeaderSize;
        var bytes = new byte[header + a.Key.Length];
        var name = a.Algorithm.KernelName;
        if (Encoding.ASCII.GetByteCount(name) >= AlgoNameLength)
            throw new ArgumentException($"kernel algorithm name '{name}' is longer than {AlgoNameLength - 1} characters");
        Encoding.ASCII.GetBytes(name, bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(AlgoNameLength), (uint)a.KeyBits);
        if (withLength)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(AlgoNameLength + 4), (uint)a.IcvBits);
        a.Key.Span.CopyTo(bytes.AsSpan(header));
        return bytes;
    }

    /// <summary>xfrm_user_sec_ctx + the context string, NUL-terminated as PF_KEY and SELinux tools send it.</summary>
    private static byte[] SecurityContext(SecurityContext ctx)
    {
        var text = Encoding.UTF8.GetBytes(ctx.Context + "\0");
        var bytes = new byte[8 + text.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)bytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), XFRMA_SEC_CTX);
        bytes[4] = ctx.Algorithm;
        bytes[5] = ctx.Doi;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)text.Length);
        text.CopyTo(bytes.AsSpan(8));
        return bytes;
    }
}
