using KernelIpsec.Ike.Crypto.Hashes;

namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>
/// The HASH payloads after phase 1 (RFC 2409 sections 5.5 and 5.7), with a PRF keyed with
/// SKEYID_a. "Message after HASH" is every payload that follows the HASH payload, generic headers
/// included, as they are on the wire (unencrypted, without padding). M-ID is in network byte order.
/// </summary>
public static class Phase2Hash
{
    /// <summary>Quick mode HASH(1) = prf(SKEYID_a, M-ID | message after HASH).</summary>
    public static int QuickModeHash1(IkePrf skeyidA, uint messageId, ReadOnlySpan<byte> messageAfterHash, Span<byte> destination)
        => skeyidA.AppendUInt32(messageId).Append(messageAfterHash).Finish(destination);

    /// <summary>Quick mode HASH(2) = prf(SKEYID_a, M-ID | Ni_b | message after HASH).</summary>
    public static int QuickModeHash2(IkePrf skeyidA, uint messageId, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> messageAfterHash, Span<byte> destination)
        => skeyidA.AppendUInt32(messageId).Append(nonceI).Append(messageAfterHash).Finish(destination);

    /// <summary>Quick mode HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).</summary>
    public static int QuickModeHash3(IkePrf skeyidA, uint messageId, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR, Span<byte> destination)
        => skeyidA.Append(0).AppendUInt32(messageId).Append(nonceI).Append(nonceR).Finish(destination);

    /// <summary>Informational (and transaction) exchanges: HASH(1) = prf(SKEYID_a, M-ID | N/D ...).</summary>
    public static int Informational(IkePrf skeyidA, uint messageId, ReadOnlySpan<byte> messageAfterHash, Span<byte> destination)
        => skeyidA.AppendUInt32(messageId).Append(messageAfterHash).Finish(destination);

    /// <summary>
    /// Transaction exchange (draft-dukes-ike-mode-cfg-02 3.1, XAuth and Mode Config): HASH = prf(SKEYID_a, M-ID | ATTR),
    /// the same for every message of the exchange (no nonces: the message id and the attributes are all it binds).
    /// </summary>
    public static int Transaction(IkePrf skeyidA, uint messageId, ReadOnlySpan<byte> messageAfterHash, Span<byte> destination)
        => skeyidA.AppendUInt32(messageId).Append(messageAfterHash).Finish(destination);
}
