using System.Net;
using KernelIpsec.Netlink.Model;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// Builds the PF_KEY requests from the model, with the extensions in the order ipsec-tools' setkey and racoon
/// send them (so a capture of either reads the same), and SA flags with KAME's CYCSEQ bit as setkey always sets
/// it (Linux ignores it). What PF_KEY cannot say is refused here with the reason, before anything is sent.
/// </summary>
internal static class PfKeyMessages
{
    /// <summary>The SA flags a PF_KEY message can carry.</summary>
    public const SaFlags PfKeyExpressibleFlags = SaFlags.NoEcn | SaFlags.DecapDscp | SaFlags.NoPmtuDiscovery;

    /// <summary>SADB_ADD / SADB_UPDATE.</summary>
    public static byte[] AddSa(SecurityAssociation sa, bool update, uint sequence, uint pid)
    {
        var id = sa.Id;
        var what = id.ToString();
        if (sa.ReplayWindow > byte.MaxValue)
            throw new ArgumentException($"{what}: replay window {sa.ReplayWindow} does not fit PF_KEY's 8-bit sadb_sa_replay (use --kernel xfrm)");
        if ((sa.Flags & ~PfKeyExpressibleFlags) != 0)
            throw new ArgumentException($"{what}: PF_KEY cannot set the SA flags {sa.Flags & ~PfKeyExpressibleFlags} (only noecn, decap-dscp, nopmtudisc; use --kernel xfrm)");
        if (sa.Selector is not null)
            throw new ArgumentException($"{what}: PF_KEY cannot carry an SA selector ({sa.Selector}); use --kernel xfrm");

        var w = new SadbWriter(update ? SADB_UPDATE : SADB_ADD, SaType(id.Protocol), sequence, pid);
        byte auth = 0, encrypt = 0;
        switch (id.Protocol)
        {
            case IpsecProtocol.Esp:
                // Linux refuses ESP without KEY_ENCRYPT, so a keyless cipher still gets a 0-bit one (as setkey does).
                var cipher = sa.Encryption ?? sa.Aead;
                if (cipher is not null)
                    encrypt = SadbId(cipher, what);
                w.Key(SADB_EXT_KEY_ENCRYPT, cipher is null ? [] : cipher.Key.Span);
                break;
            case IpsecProtocol.IpComp:
                if (sa.Compression is { } comp)
                    encrypt = SadbId(comp, what);
                break;
        }

        if (sa.Authentication is { } authentication)
        {
            auth = SadbId(authentication, what);
            w.Key(SADB_EXT_KEY_AUTH, authentication.Key.Span);
        }

        LifetimePair(w, sa.Lifetime, what);
        if (sa.SecurityContext is { } ctx)
            w.SecurityContext(new SadbSecCtx(ctx.Doi, ctx.Algorithm, ctx.Context));
        w.Sa(new SadbSa(id.Spi, (byte)sa.ReplayWindow, SADB_SASTATE_LARVAL, auth, encrypt, Flags(sa.Flags)));
        w.Sa2(new SadbSa2((byte)sa.Mode, 0, sa.ReqId));
        if (sa.NatTraversal is { } nat)
        {
            w.NatTType((byte)nat.Type);
            if (nat.OriginalAddress is { } oa)
                w.Address(SADB_X_EXT_NAT_T_OA, HostAddress(oa));
        }

        // With NAT-T the addresses carry the UDP ports too, as racoon and setkey (`add A[4500] B[4500] esp-udp`) send them.
        w.Address(SADB_EXT_ADDRESS_SRC, HostAddress(id.Source, sa.NatTraversal?.SourcePort ?? 0));
        w.Address(SADB_EXT_ADDRESS_DST, HostAddress(id.Destination, sa.NatTraversal?.DestinationPort ?? 0));
        if (sa.NatTraversal is { } ports)
        {
            w.NatTPort(SADB_X_EXT_NAT_T_SPORT, ports.SourcePort);
            w.NatTPort(SADB_X_EXT_NAT_T_DPORT, ports.DestinationPort);
        }

        return w.ToArray();
    }

    /// <summary>SADB_GET / SADB_DELETE: SA (the SPI), X_SA2, addresses.</summary>
    public static byte[] SaId(SaId id, byte type, uint sequence, uint pid) =>
        new SadbWriter(type, SaType(id.Protocol), sequence, pid)
            .Sa(new SadbSa(id.Spi, 0, SADB_SASTATE_LARVAL, 0, 0, SADB_X_EXT_CYCSEQ))
            .Sa2(new SadbSa2(0, 0, 0))
            .Address(SADB_EXT_ADDRESS_SRC, HostAddress(id.Source))
            .Address(SADB_EXT_ADDRESS_DST, HostAddress(id.Destination))
            .ToArray();

    /// <summary>SADB_FLUSH with the protocol's satype, or UNSPEC for every protocol.</summary>
    public static byte[] Flush(IpsecProtocol? protocol, uint sequence, uint pid) =>
        new SadbWriter(SADB_FLUSH, protocol is { } p ? SaType(p) : SADB_SATYPE_UNSPEC, sequence, pid).ToArray();

    /// <summary>SADB_DUMP of every protocol.</summary>
    public static byte[] Dump(uint sequence, uint pid) => new SadbWriter(SADB_DUMP, SADB_SATYPE_UNSPEC, sequence, pid).ToArray();

    /// <summary>
    /// SADB_GETSPI as racoon sends it: X_SA2 (mode, reqid), addresses, SPIRANGE. The message's sequence number is
    /// the ACQUIRE's when answering one, which is how af_key finds the larval SA the ACQUIRE created.
    /// </summary>
    public static byte[] GetSpi(SpiRequest request, uint sequence, uint pid)
    {
        var range = request.EffectiveRange;
        return new SadbWriter(SADB_GETSPI, SaType(request.Protocol), sequence, pid)
            .Sa2(new SadbSa2((byte)request.Mode, 0, request.ReqId))
            .Address(SADB_EXT_ADDRESS_SRC, HostAddress(request.Source))
            .Address(SADB_EXT_ADDRESS_DST, HostAddress(request.Destination))
            .SpiRange(new SadbSpiRange(range.Min, range.Max))
            .ToArray();
    }

    /// <summary>SADB_X_SPDADD / SADB_X_SPDUPDATE: X_POLICY with the requests, selector addresses, lifetimes, X_SEC_CTX.</summary>
    public static byte[] SpdAdd(SecurityPolicy policy, bool update, uint sequence, uint pid)
    {
        var what = $"policy {policy.Id}";
        if (policy.Flags != PolicyFlags.None)
            throw new ArgumentException($"{what}: PF_KEY cannot set policy flags ({policy.Flags}); use --kernel xfrm");
        if (!update && policy.Index != 0)
            throw new ArgumentException($"{what}: PF_KEY cannot choose the policy index {policy.Index} (the kernel assigns it); use --kernel xfrm");
        var type = policy.Action == PolicyAction.Block ? IPSEC_POLICY_DISCARD
            : policy.Requests.Count == 0 ? IPSEC_POLICY_NONE
            : IPSEC_POLICY_IPSEC;
        var w = new SadbWriter(update ? SADB_X_SPDUPDATE : SADB_X_SPDADD, SADB_SATYPE_UNSPEC, sequence, pid)
            .Policy(new SadbPolicy(type, Direction(policy.Direction), 0, policy.Priority, [.. policy.Requests.Select(Request)]));
        Selector(w, policy.Selector);
        LifetimePair(w, policy.Lifetime, what);
        if (policy.SecurityContext is { } ctx)
            w.SecurityContext(new SadbSecCtx(ctx.Doi, ctx.Algorithm, ctx.Context));
        return w.ToArray();
    }

    /// <summary>SADB_X_SPDDELETE: the direction in X_POLICY (type discard, priority 0, as setkey sends it), selector, context.</summary>
    public static byte[] SpdDelete(PolicyId id, uint sequence, uint pid)
    {
        var w = new SadbWriter(SADB_X_SPDDELETE, SADB_SATYPE_UNSPEC, sequence, pid)
            .Policy(new SadbPolicy(IPSEC_POLICY_DISCARD, Direction(id.Direction), 0, 0, []));
        Selector(w, id.Selector);
        if (id.SecurityContext is { } ctx)
            w.SecurityContext(new SadbSecCtx(ctx.Doi, ctx.Algorithm, ctx.Context));
        return w.ToArray();
    }

    /// <summary>SADB_X_SPDGET / SADB_X_SPDDELETE2: a policy by its index (the direction is in the index's low bits).</summary>
    public static byte[] SpdByIndex(byte type, uint index, uint sequence, uint pid) =>
        new SadbWriter(type, SADB_SATYPE_UNSPEC, sequence, pid)
            .Policy(new SadbPolicy(IPSEC_POLICY_DISCARD, 0, index, 0, []))
            .ToArray();

    /// <summary>A message with the header alone: SPDDUMP, SPDFLUSH, REGISTER (satype), X_PROMISC (satype 1 = on).</summary>
    public static byte[] Bare(byte type, byte saType, uint sequence, uint pid) => new SadbWriter(type, saType, sequence, pid).ToArray();

    public static byte SaType(IpsecProtocol protocol) => protocol switch
    {
        IpsecProtocol.Ah => SADB_SATYPE_AH,
        IpsecProtocol.Esp => SADB_SATYPE_ESP,
        IpsecProtocol.IpComp => SADB_X_SATYPE_IPCOMP,
        _ => throw new ArgumentException($"protocol {protocol} has no PF_KEY satype"),
    };

    public static byte Direction(PolicyDirection direction) => (byte)((byte)direction + 1);

    /// <summary>
    /// The request as af_key needs it to build the same template XFRM would: a reqid only counts with level
    /// unique, so require/default with a reqid go as unique (that is what XFRM makes of them too).
    /// </summary>
    public static SadbIpsecRequest Request(IpsecRequest r)
    {
        var level = r.Level switch
        {
            IpsecLevel.Use => IPSEC_LEVEL_USE,
            IpsecLevel.Unique => IPSEC_LEVEL_UNIQUE,
            _ when r.ReqId != 0 => IPSEC_LEVEL_UNIQUE,
            IpsecLevel.Default => IPSEC_LEVEL_DEFAULT,
            _ => IPSEC_LEVEL_REQUIRE,
        };
        return new SadbIpsecRequest((ushort)r.Protocol, (byte)r.Mode, level, r.ReqId, r.TunnelSource, r.TunnelDestination);
    }

    public static uint Flags(SaFlags flags)
    {
        var value = SADB_X_EXT_CYCSEQ;
        if (flags.HasFlag(SaFlags.NoEcn))
            value |= SADB_SAFLAGS_NOECN;
        if (flags.HasFlag(SaFlags.DecapDscp))
            value |= SADB_SAFLAGS_DECAP_DSCP;
        if (flags.HasFlag(SaFlags.NoPmtuDiscovery))
            value |= SADB_SAFLAGS_NOPMTUDISC;
        return value;
    }

    /// <summary>SA messages carry full-length prefixes and any upper protocol (what setkey sends).</summary>
    private static SadbAddress HostAddress(IPAddress address, ushort port = 0) =>
        new(IPSEC_ULPROTO_ANY, (byte)AddressPrefix.MaxPrefixLength(address.AddressFamily), address, port);

    private static void Selector(SadbWriter w, Selector selector)
    {
        var proto = selector.UpperProtocol ?? IPSEC_ULPROTO_ANY;
        w.Address(SADB_EXT_ADDRESS_SRC, new SadbAddress(proto, (byte)selector.Source.PrefixLength, selector.Source.Address, selector.SourcePort));
        w.Address(SADB_EXT_ADDRESS_DST, new SadbAddress(proto, (byte)selector.Destination.PrefixLength, selector.Destination.Address, selector.DestinationPort));
    }

    /// <summary>
    /// LIFETIME_HARD and LIFETIME_SOFT together or not at all: af_key refuses one without the other (EINVAL), so
    /// a lone limit goes with an unlimited (all-zero) partner.
    /// </summary>
    private static void LifetimePair(SadbWriter w, Lifetime lifetime, string what)
    {
        if (lifetime.Hard.IsUnlimited && lifetime.Soft.IsUnlimited)
            return;
        w.Lifetime(SADB_EXT_LIFETIME_HARD, Limits(lifetime.Hard, "hard", what));
        w.Lifetime(SADB_EXT_LIFETIME_SOFT, Limits(lifetime.Soft, "soft", what));
    }

    private static SadbLifetime Limits(LifetimeLimits limits, string which, string what)
    {
        if (limits.Packets > uint.MaxValue)
            throw new ArgumentException($"{what}: {which} packet limit {limits.Packets} does not fit PF_KEY's 32-bit sadb_lifetime_allocations (use --kernel xfrm)");
        return new SadbLifetime((uint)limits.Packets, limits.Bytes, limits.AddSeconds, limits.UseSeconds);
    }

    private static byte SadbId(SaAlgorithm algorithm, string what) =>
        algorithm.Algorithm.SadbId is { } sadb and >= 0 and <= byte.MaxValue
            ? (byte)sadb
            : throw new ArgumentException($"{what}: {algorithm.Algorithm.Name} has no PF_KEY algorithm id; use --kernel xfrm");
}
