using System.Net;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// The messages Linux's af_key itself sends (answers, dump records, broadcasts), built from the model in af_key's
/// extension order, so that what the XFRM backend reports can be shown as the PF_KEY message it corresponds to.
/// Unlike <see cref="PfKeyMessages"/> nothing is refused: what PF_KEY cannot say is left out as af_key leaves it out
/// (an algorithm without a PF_KEY id is 0, a replay window over 255 is 255, an SA selector and an ACQUIRE's
/// proposal list are not written).
/// </summary>
internal static class PfKeyNotifications
{
    /// <summary>
    /// An SA as af_key's state-to-message writes it: SA, LIFETIME_HARD/SOFT (as <paramref name="hard"/> and
    /// <paramref name="soft"/> say), LIFETIME_CURRENT, ADDRESS_SRC/DST, the keys (when <paramref name="keys"/>), X_SA2,
    /// the NAT-T extensions and X_SEC_CTX.
    /// </summary>
    public static byte[] Sa(byte type, SecurityAssociation sa, byte state, bool hard, bool soft, bool keys, uint sequence, uint pid)
    {
        var id = sa.Id;
        var w = new SadbWriter(type, PfKeyMessages.SaType(id.Protocol), sequence, pid);
        var cipher = sa.Encryption ?? sa.Aead ?? sa.Compression;
        w.Sa(new SadbSa(id.Spi, (byte)Math.Min(sa.ReplayWindow, byte.MaxValue), state, SadbId(sa.Authentication), SadbId(cipher),
            PfKeyMessages.Flags(sa.Flags) & ~SADB_X_EXT_CYCSEQ));
        if (hard)
            w.Lifetime(SADB_EXT_LIFETIME_HARD, Limits(sa.Lifetime.Hard));
        if (soft)
            w.Lifetime(SADB_EXT_LIFETIME_SOFT, Limits(sa.Lifetime.Soft));
        w.Lifetime(SADB_EXT_LIFETIME_CURRENT, Current(sa.Current));
        w.Address(SADB_EXT_ADDRESS_SRC, Host(id.Source));
        w.Address(SADB_EXT_ADDRESS_DST, Host(id.Destination));
        if (keys && sa.Authentication is { Key.Length: > 0 } auth)
            w.Key(SADB_EXT_KEY_AUTH, auth.Key.Span);
        if (keys && sa.Encryption is { Key.Length: > 0 } encryption)
            w.Key(SADB_EXT_KEY_ENCRYPT, encryption.Key.Span);
        w.Sa2(new SadbSa2((byte)sa.Mode, 0, sa.ReqId));
        if (sa.NatTraversal is { } nat)
        {
            w.NatTType((byte)nat.Type);
            w.NatTPort(SADB_X_EXT_NAT_T_SPORT, nat.SourcePort);
            w.NatTPort(SADB_X_EXT_NAT_T_DPORT, nat.DestinationPort);
        }

        if (sa.SecurityContext is { } ctx)
            w.SecurityContext(new SadbSecCtx(ctx.Doi, ctx.Algorithm, ctx.Context));
        return w.ToArray();
    }

    /// <summary>A policy as af_key's policy-to-message writes it: selector addresses, LIFETIME_HARD/SOFT/CURRENT, X_POLICY (id = index), X_SEC_CTX.</summary>
    public static byte[] Policy(byte type, SecurityPolicy policy, uint sequence, uint pid)
    {
        var w = new SadbWriter(type, SADB_SATYPE_UNSPEC, sequence, pid);
        var selector = policy.Selector;
        var proto = selector.UpperProtocol ?? IPSEC_ULPROTO_ANY;
        w.Address(SADB_EXT_ADDRESS_SRC, new SadbAddress(proto, (byte)selector.Source.PrefixLength, selector.Source.Address, selector.SourcePort));
        w.Address(SADB_EXT_ADDRESS_DST, new SadbAddress(proto, (byte)selector.Destination.PrefixLength, selector.Destination.Address, selector.DestinationPort));
        w.Lifetime(SADB_EXT_LIFETIME_HARD, Limits(policy.Lifetime.Hard));
        w.Lifetime(SADB_EXT_LIFETIME_SOFT, Limits(policy.Lifetime.Soft));
        w.Lifetime(SADB_EXT_LIFETIME_CURRENT, Current(policy.Current));
        var kind = policy.Action == PolicyAction.Block ? IPSEC_POLICY_DISCARD
            : policy.Requests.Count == 0 ? IPSEC_POLICY_NONE
            : IPSEC_POLICY_IPSEC;
        w.Policy(new SadbPolicy(kind, PfKeyMessages.Direction(policy.Direction), policy.Index, policy.Priority, [.. policy.Requests.Select(PfKeyMessages.Request)]));
        if (policy.SecurityContext is { } ctx)
            w.SecurityContext(new SadbSecCtx(ctx.Doi, ctx.Algorithm, ctx.Context));
        return w.ToArray();
    }

    /// <summary>SADB_ACQUIRE: the SA's endpoints and the policy's index and priority (af_key's proposal list is not written).</summary>
    public static byte[] Acquire(AcquireEvent acquire) =>
        new SadbWriter(SADB_ACQUIRE, PfKeyMessages.SaType(acquire.Protocol), acquire.Sequence, 0)
            .Address(SADB_EXT_ADDRESS_SRC, Host(acquire.Source))
            .Address(SADB_EXT_ADDRESS_DST, Host(acquire.Destination))
            .Policy(new SadbPolicy(IPSEC_POLICY_IPSEC, PfKeyMessages.Direction(acquire.Policy.Direction), acquire.Policy.Index, acquire.Policy.Priority, []))
            .ToArray();

    /// <summary>A message with the header alone (FLUSH, SPDFLUSH, an error answer); <paramref name="errno"/> set on an error.</summary>
    public static byte[] Header(byte type, byte saType, byte errno, uint sequence, uint pid)
    {
        var message = new SadbWriter(type, saType, sequence, pid).ToArray();
        message[2] = errno;
        return message;
    }

    /// <summary>The event as the PF_KEY broadcast af_key sends for it, or null for an event PF_KEY has no message for.</summary>
    public static byte[]? Event(KernelEvent e) => e switch
    {
        SaAddedEvent a => Sa(SADB_ADD, a.Sa, SADB_SASTATE_MATURE, hard: true, soft: true, keys: true, 0, 0),
        SaUpdatedEvent u => Sa(SADB_UPDATE, u.Sa, SADB_SASTATE_MATURE, hard: true, soft: true, keys: true, 0, 0),
        SaDeletedEvent d => Sa(SADB_DELETE, d.Sa, SADB_SASTATE_DEAD, hard: true, soft: true, keys: true, 0, 0),
        SaExpiredEvent x => Sa(SADB_EXPIRE, x.Sa, x.Hard ? SADB_SASTATE_DEAD : SADB_SASTATE_DYING, hard: x.Hard, soft: !x.Hard, keys: false, 0, 0),
        SasFlushedEvent f => Header(SADB_FLUSH, f.Protocol is { } p ? PfKeyMessages.SaType(p) : SADB_SATYPE_UNSPEC, 0, 0, 0),
        PolicyAddedEvent a => Policy(SADB_X_SPDADD, a.Policy, 0, 0),
        PolicyUpdatedEvent u => Policy(SADB_X_SPDUPDATE, u.Policy, 0, 0),
        PolicyDeletedEvent d => Policy(SADB_X_SPDDELETE, d.Policy, 0, 0),
        PolicyExpiredEvent x => Policy(SADB_X_SPDEXPIRE, x.Policy, 0, 0),
        PoliciesFlushedEvent => Header(SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC, 0, 0, 0),
        AcquireEvent a => Acquire(a),
        NatMappingEvent n => NewMapping(n),
        PfKeyMessageEvent m => m.Message.ToArray(),
        _ => null,
    };

    /// <summary>
    /// SADB_X_NAT_T_NEW_MAPPING as pfkey_send_new_mapping writes it: SA (the SPI alone), ADDRESS_SRC and X_NAT_T_SPORT (the
    /// SA's peer and encapsulation source port), ADDRESS_DST and X_NAT_T_DPORT (where the peer's packets now come from).
    /// </summary>
    public static byte[] NewMapping(NatMappingEvent mapping) =>
        new SadbWriter(SADB_X_NAT_T_NEW_MAPPING, PfKeyMessages.SaType(mapping.Protocol), 0, 0)
            .Sa(new SadbSa(mapping.Spi, 0, 0, 0, 0, 0))
            .Address(SADB_EXT_ADDRESS_SRC, Host(mapping.OldSource.Address))
            .NatTPort(SADB_X_EXT_NAT_T_SPORT, (ushort)mapping.OldSource.Port)
            .Address(SADB_EXT_ADDRESS_DST, Host(mapping.NewSource.Address))
            .NatTPort(SADB_X_EXT_NAT_T_DPORT, (ushort)mapping.NewSource.Port)
            .ToArray();

    /// <summary>af_key reports SA addresses with upper protocol 0, full prefix and no port.</summary>
    private static SadbAddress Host(IPAddress address) => new(0, (byte)AddressPrefix.MaxPrefixLength(address.AddressFamily), address, 0);

    private static byte SadbId(SaAlgorithm? algorithm) =>
        algorithm?.Algorithm.SadbId is { } id and >= 0 and <= byte.MaxValue ? (byte)id : (byte)0;

    private static SadbLifetime Limits(LifetimeLimits limits) =>
        new((uint)Math.Min(limits.Packets, uint.MaxValue), limits.Bytes, limits.AddSeconds, limits.UseSeconds);

    private static SadbLifetime Current(LifetimeCurrent? current) => current is null
        ? default
        : new SadbLifetime((uint)Math.Min(current.Packets, uint.MaxValue), current.Bytes,
            (ulong)(current.Added?.ToUnixTimeSeconds() ?? 0), (ulong)(current.LastUsed?.ToUnixTimeSeconds() ?? 0));
}
