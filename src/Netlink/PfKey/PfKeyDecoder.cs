using System.Net;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// Turns PF_KEY messages from the kernel (replies, dump records, broadcasts) into model records. What Linux's
/// af_key reports is taken as it is: the ICV length of an integrity algorithm is the one af_key installs
/// (96 bits for HMAC-SHA-256, whatever XFRM may have set), an SA selector is not reported (only a proxy source),
/// and a NAT-T original address is not kept by Linux.
/// </summary>
internal static class PfKeyDecoder
{
    /// <summary>An SA from ADD/UPDATE/DELETE/GET/DUMP/GETSPI/EXPIRE: SA, addresses, keys, lifetimes, X_SA2, NAT-T, context.</summary>
    public static SecurityAssociation Sa(SadbMessage m)
    {
        var sa = m.Sa() ?? throw new PfKeyFormatException($"{m.Name} without an SA extension");
        var source = m.Address(SADB_EXT_ADDRESS_SRC) ?? throw new PfKeyFormatException($"{m.Name} without ADDRESS_SRC");
        var destination = m.Address(SADB_EXT_ADDRESS_DST) ?? throw new PfKeyFormatException($"{m.Name} without ADDRESS_DST");
        if (source.Address.AddressFamily != destination.Address.AddressFamily)
            throw new PfKeyFormatException($"{m.Name}: ADDRESS_SRC {source.Address} and ADDRESS_DST {destination.Address} are of different families");
        var protocol = Protocol(m.Header.SaType, m.Name);
        var sa2 = m.Sa2();
        SaAlgorithm? encryption = null, aead = null, authentication = null, compression = null;
        if (protocol == IpsecProtocol.IpComp)
        {
            if (sa.Encrypt != 0)
                compression = SaAlgorithm.FromKernel(Algorithm(AlgorithmKind.Compression, sa.Encrypt), [], 0);
        }
        else if (sa.Encrypt != 0)
        {
            var cipher = Algorithm(AlgorithmKind.Encryption, sa.Encrypt);
            var key = m.Key(SADB_EXT_KEY_ENCRYPT) ?? [];
            if (cipher.Kind == AlgorithmKind.Aead)
                aead = SaAlgorithm.FromKernel(cipher, key, cipher.IcvBits);
            else
                encryption = SaAlgorithm.FromKernel(cipher, key, 0);
        }

        if (sa.Auth != 0)
        {
            var integrity = Algorithm(AlgorithmKind.Authentication, sa.Auth);
            authentication = SaAlgorithm.FromKernel(integrity, m.Key(SADB_EXT_KEY_AUTH) ?? [], integrity.PfKeyIcvBits);
        }

        NatTraversal? nat = null;
        if (m.NatTType() is { } natType && natType != 0)
        {
            nat = new NatTraversal((EncapsulationType)natType, m.NatTPort(SADB_X_EXT_NAT_T_SPORT) ?? 0, m.NatTPort(SADB_X_EXT_NAT_T_DPORT) ?? 0,
                m.Address(SADB_X_EXT_NAT_T_OA)?.Address);
        }

        // An IPComp CPI is 16 bits (RFC 3173); the kernel never sends more, a message that does is malformed.
        if (protocol == IpsecProtocol.IpComp && sa.Spi > ushort.MaxValue)
            throw new PfKeyFormatException($"{m.Name}: IPComp CPI 0x{sa.Spi:x} in sadb_sa_spi does not fit in 16 bits");
        return new SecurityAssociation(new SaId(source.Address, destination.Address, protocol, sa.Spi))
        {
            Mode = sa2 is { } s ? Mode(s.Mode, m.Name) : IpsecMode.Any,
            ReqId = sa2?.ReqId ?? 0,
            ReplayWindow = sa.Replay,
            Flags = Flags(sa.Flags),
            Encryption = encryption,
            Aead = aead,
            Authentication = authentication,
            Compression = compression,
            Lifetime = Lifetime(m),
            NatTraversal = nat,
            SecurityContext = Context(m.SecurityContext()),
            Current = Current(m.Lifetime(SADB_EXT_LIFETIME_CURRENT)),
        };
    }

    /// <summary>
    /// An SPDDUMP record, or null for a per-socket policy: the kernel walks them with the SPD and numbers their
    /// direction past fwd (sadb_x_policy_dir 4-6, XFRM_POLICY_MAX + dir + 1); they are another daemon's socket
    /// bypass, not policies of the SPD, and setkey -DP does not list them.
    /// </summary>
    public static SecurityPolicy? DumpedPolicy(SadbMessage m)
    {
        var policy = m.Policy() ?? throw new PfKeyFormatException($"{m.Name} without X_POLICY");
        return policy.Direction > IPSEC_DIR_FWD ? null : Policy(m);
    }

    /// <summary>A policy from SPDADD/SPDUPDATE/SPDDELETE/SPDDELETE2/SPDGET/SPDDUMP/SPDEXPIRE.</summary>
    public static SecurityPolicy Policy(SadbMessage m)
    {
        var policy = m.Policy() ?? throw new PfKeyFormatException($"{m.Name} without X_POLICY");
        var source = m.Address(SADB_EXT_ADDRESS_SRC) ?? throw new PfKeyFormatException($"{m.Name} without ADDRESS_SRC");
        var destination = m.Address(SADB_EXT_ADDRESS_DST) ?? throw new PfKeyFormatException($"{m.Name} without ADDRESS_DST");
        if (source.Address.AddressFamily != destination.Address.AddressFamily)
            throw new PfKeyFormatException($"{m.Name}: ADDRESS_SRC {source.Address} and ADDRESS_DST {destination.Address} are of different families");
        var proto = source.Proto == IPSEC_ULPROTO_ANY || source.Proto == 0 ? (byte?)null : source.Proto;
        var selector = new Selector(new AddressPrefix(source.Address, source.PrefixLength), new AddressPrefix(destination.Address, destination.PrefixLength),
            proto, source.Port, destination.Port);
        var direction = policy.Direction switch
        {
            IPSEC_DIR_INBOUND => PolicyDirection.In,
            IPSEC_DIR_OUTBOUND => PolicyDirection.Out,
            IPSEC_DIR_FWD => PolicyDirection.Fwd,
            _ => throw new PfKeyFormatException($"{m.Name}: sadb_x_policy_dir {policy.Direction} is not in (1), out (2) or fwd (3)"),
        };
        var action = policy.Type switch
        {
            IPSEC_POLICY_DISCARD => PolicyAction.Block,
            IPSEC_POLICY_NONE or IPSEC_POLICY_IPSEC => PolicyAction.Allow,
            _ => throw new PfKeyFormatException($"{m.Name}: sadb_x_policy_type {policy.Type} is not discard, none or ipsec"),
        };
        var requests = policy.Requests.Select((r, i) => Request(r, i, m.Name)).ToList();
        return new SecurityPolicy(selector, direction, action, requests)
        {
            Priority = policy.Priority,
            Index = policy.Id,
            Lifetime = Lifetime(m),
            SecurityContext = Context(m.SecurityContext()),
            Current = Current(m.Lifetime(SADB_EXT_LIFETIME_CURRENT)),
        };
    }

    /// <summary>
    /// A broadcast as an event; ACQUIRE is left to the caller (it needs the policy looked up), and so are
    /// messages no event stands for (REGISTER, GETSPI, …) and error replies: null.
    /// </summary>
    public static KernelEvent? Event(SadbMessage m)
    {
        if (m.Header.Errno != 0)
            return null;
        return m.Header.Type switch
        {
            SADB_ADD => new SaAddedEvent(Sa(m)),
            SADB_UPDATE => new SaUpdatedEvent(Sa(m)),
            SADB_DELETE => new SaDeletedEvent(Sa(m)),
            // af_key sends the hard limits with a hard expire and the soft ones with a soft expire.
            SADB_EXPIRE => new SaExpiredEvent(Sa(m), m.Has(SADB_EXT_LIFETIME_HARD)),
            SADB_FLUSH => new SasFlushedEvent(m.Header.SaType == SADB_SATYPE_UNSPEC ? null : Protocol(m.Header.SaType, m.Name)),
            SADB_X_SPDADD => new PolicyAddedEvent(Policy(m)),
            SADB_X_SPDUPDATE => new PolicyUpdatedEvent(Policy(m)),
            SADB_X_SPDDELETE or SADB_X_SPDDELETE2 => new PolicyDeletedEvent(Policy(m)),
            SADB_X_SPDEXPIRE => new PolicyExpiredEvent(Policy(m), m.Has(SADB_EXT_LIFETIME_HARD)),
            SADB_X_SPDFLUSH => new PoliciesFlushedEvent(),
            SADB_X_NAT_T_NEW_MAPPING => NewMapping(m),
            _ => null,
        };
    }

    /// <summary>
    /// An ACQUIRE: the SA's endpoints and protocol, the kernel's sequence number, and the policy. af_key sends only
    /// the policy's index and priority, so <paramref name="policy"/> is the full policy when the caller could look it
    /// up; otherwise a policy with what the message says. Linux sends no trigger selector: the policy's stands in.
    /// </summary>
    public static AcquireEvent Acquire(SadbMessage m, SecurityPolicy? policy)
    {
        var source = m.Address(SADB_EXT_ADDRESS_SRC) ?? throw new PfKeyFormatException("SADB_ACQUIRE without ADDRESS_SRC");
        var destination = m.Address(SADB_EXT_ADDRESS_DST) ?? throw new PfKeyFormatException("SADB_ACQUIRE without ADDRESS_DST");
        var xpolicy = m.Policy();
        if (policy is null)
        {
            var selector = new Selector(AddressPrefix.Host(source.Address), AddressPrefix.Host(destination.Address));
            policy = new SecurityPolicy(selector, PolicyDirection.Out) { Index = xpolicy?.Id ?? 0, Priority = xpolicy?.Priority ?? 0 };
        }

        return new AcquireEvent(source.Address, destination.Address, Protocol(m.Header.SaType, m.Name), policy.Selector, policy, m.Header.Sequence);
    }

    /// <summary>
    /// SADB_X_NAT_T_NEW_MAPPING as af_key's pfkey_send_new_mapping builds it: SA (the SPI only), ADDRESS_SRC and NAT_T_SPORT
    /// the SA's peer address and encapsulation source port, ADDRESS_DST and NAT_T_DPORT where its packets now come from
    /// (not the SA's destination, which the message does not carry).
    /// </summary>
    public static NatMappingEvent NewMapping(SadbMessage m)
    {
        var sa = m.Sa() ?? throw new PfKeyFormatException($"{m.Name} without an SA extension");
        var old = m.Address(SADB_EXT_ADDRESS_SRC) ?? throw new PfKeyFormatException($"{m.Name} without ADDRESS_SRC");
        var fresh = m.Address(SADB_EXT_ADDRESS_DST) ?? throw new PfKeyFormatException($"{m.Name} without ADDRESS_DST");
        var oldPort = m.NatTPort(SADB_X_EXT_NAT_T_SPORT) ?? throw new PfKeyFormatException($"{m.Name} without X_NAT_T_SPORT");
        var newPort = m.NatTPort(SADB_X_EXT_NAT_T_DPORT) ?? throw new PfKeyFormatException($"{m.Name} without X_NAT_T_DPORT");
        return new NatMappingEvent(Protocol(m.Header.SaType, m.Name), sa.Spi, null, 0,
            new IPEndPoint(old.Address, oldPort), new IPEndPoint(fresh.Address, newPort));
    }

    public static IpsecProtocol Protocol(byte saType, string where) => saType switch
    {
        SADB_SATYPE_AH => IpsecProtocol.Ah,
        SADB_SATYPE_ESP => IpsecProtocol.Esp,
        SADB_X_SATYPE_IPCOMP => IpsecProtocol.IpComp,
        _ => throw new PfKeyFormatException($"{where}: sadb_msg_satype {saType} is not AH (2), ESP (3) or IPCOMP (9)"),
    };

    private static IpsecMode Mode(byte mode, string where) => mode switch
    {
        0 => IpsecMode.Any,
        1 => IpsecMode.Transport,
        2 => IpsecMode.Tunnel,
        3 => IpsecMode.Beet,
        _ => throw new PfKeyFormatException($"{where}: sadb_x_sa2_mode {mode} is not any, transport, tunnel or beet"),
    };

    private static IpsecRequest Request(SadbIpsecRequest r, int index, string where)
    {
        if (r.Proto is not (50 or 51 or 108))
            throw new PfKeyFormatException($"{where}: ipsecrequest #{index + 1} protocol {r.Proto} is not esp, ah or ipcomp");
        if (r.Level > IPSEC_LEVEL_UNIQUE)
            throw new PfKeyFormatException($"{where}: ipsecrequest #{index + 1} level {r.Level} is not default, use, require or unique");
        // The model refuses mode "any" and a tunnel without both endpoints: from the kernel that is malformed (found by fuzzing).
        try
        {
            return new IpsecRequest((IpsecProtocol)r.Proto, Mode(r.Mode, where), (IpsecLevel)r.Level, r.ReqId, r.Source, r.Destination);
        }
        catch (ArgumentException e)
        {
            throw new PfKeyFormatException($"{where}: ipsecrequest #{index + 1}: {e.Message}");
        }
    }

    private static IpsecAlgorithm Algorithm(AlgorithmKind kind, byte id) =>
        AlgorithmRegistry.FromSadbId(kind, id)
        ?? new IpsecAlgorithm(kind, id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"sadb-{kind.ToString().ToLowerInvariant()}-{id}", keyLengths: null, sadbId: id);

    private static SaFlags Flags(uint flags)
    {
        var value = SaFlags.None;
        if ((flags & SADB_SAFLAGS_NOECN) != 0)
            value |= SaFlags.NoEcn;
        if ((flags & SADB_SAFLAGS_DECAP_DSCP) != 0)
            value |= SaFlags.DecapDscp;
        if ((flags & SADB_SAFLAGS_NOPMTUDISC) != 0)
            value |= SaFlags.NoPmtuDiscovery;
        return value;
    }

    private static Lifetime Lifetime(SadbMessage m) => Model.Lifetime.FromKernel(
        Limits(m.Lifetime(SADB_EXT_LIFETIME_SOFT)),
        Limits(m.Lifetime(SADB_EXT_LIFETIME_HARD)));

    private static LifetimeLimits Limits(SadbLifetime? l) =>
        l is { } v ? new LifetimeLimits(v.Bytes, v.Allocations, v.AddTime, v.UseTime) : LifetimeLimits.Unlimited;

    private static LifetimeCurrent? Current(SadbLifetime? l) => l is { } c
        ? new LifetimeCurrent(c.Bytes, c.Allocations,
            LifetimeCurrent.FromKernelSeconds(c.AddTime),
            LifetimeCurrent.FromKernelSeconds(c.UseTime))
        : null;

    private static SecurityContext? Context(SadbSecCtx? ctx)
    {
        if (ctx is not { } c)
            return null;
        // The model refuses an empty context or one with a NUL: from the kernel that is a malformed message (found by fuzzing).
        try
        {
            return new SecurityContext(c.Doi, c.Algorithm, c.Context);
        }
        catch (ArgumentException e)
        {
            throw new PfKeyFormatException($"SADB_X_EXT_SEC_CTX: {e.Message}");
        }
    }

}
