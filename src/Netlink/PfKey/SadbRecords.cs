using System.Net;

namespace KernelIpsec.Netlink.PfKey;

// The sadb_* structures as values, one record per extension, in wire terms (numbers as pfkeyv2.h has them).
// SadbWriter writes them, SadbMessage reads them; PfKeyMessages/PfKeyDecoder translate to and from the model.

/// <summary><c>struct sadb_msg</c>: the 16-byte header of every PF_KEY message.</summary>
internal readonly record struct SadbHeader(byte Version, byte Type, byte Errno, byte SaType, ushort LengthWords, ushort Reserved, uint Sequence, uint Pid);

/// <summary><c>struct sadb_sa</c>; <paramref name="Spi"/> in host order here (network order on the wire).</summary>
internal readonly record struct SadbSa(uint Spi, byte Replay, byte State, byte Auth, byte Encrypt, uint Flags);

/// <summary><c>struct sadb_lifetime</c> (CURRENT, HARD or SOFT): 0 means no limit.</summary>
internal readonly record struct SadbLifetime(uint Allocations, ulong Bytes, ulong AddTime, ulong UseTime);

/// <summary><c>struct sadb_address</c> and its sockaddr (SRC, DST, PROXY, X_NAT_T_OA).</summary>
internal readonly record struct SadbAddress(byte Proto, byte PrefixLength, IPAddress Address, ushort Port);

/// <summary><c>struct sadb_x_sa2</c>: mode (IPSEC_MODE_*), sequence, reqid.</summary>
internal readonly record struct SadbSa2(byte Mode, uint Sequence, uint ReqId);

/// <summary><c>struct sadb_spirange</c>.</summary>
internal readonly record struct SadbSpiRange(uint Min, uint Max);

/// <summary><c>struct sadb_x_ipsecrequest</c> with its optional pair of tunnel endpoint sockaddrs.</summary>
internal readonly record struct SadbIpsecRequest(ushort Proto, byte Mode, byte Level, uint ReqId, IPAddress? Source, IPAddress? Destination);

/// <summary><c>struct sadb_x_policy</c> with its ipsecrequests.</summary>
internal sealed record SadbPolicy(ushort Type, byte Direction, uint Id, uint Priority, IReadOnlyList<SadbIpsecRequest> Requests)
{
    public bool Equals(SadbPolicy? other) =>
        other is not null && Type == other.Type && Direction == other.Direction && Id == other.Id && Priority == other.Priority
        && Requests.SequenceEqual(other.Requests);

    public override int GetHashCode() => HashCode.Combine(Type, Direction, Id, Priority, Requests.Count);
}

/// <summary><c>struct sadb_x_sec_ctx</c> and its context string (sent NUL-terminated).</summary>
internal readonly record struct SadbSecCtx(byte Doi, byte Algorithm, string Context);

/// <summary>One <c>struct sadb_alg</c> of a REGISTER reply: what the kernel supports and its key lengths.</summary>
public readonly record struct SadbSupportedAlgorithm(byte Id, byte IvLength, ushort MinBits, ushort MaxBits);
