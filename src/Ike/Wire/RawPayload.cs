namespace KernelIpsec.Ike.Wire;

/// <summary>
/// One payload of a received chain, not yet parsed: its type, its body (what RFC 2409's "_b" hashes cover) and the
/// whole payload bytes with the generic header (what quick mode's "message after HASH" covers).
/// </summary>
public sealed record RawPayload(PayloadType Type, byte[] Body, byte[] Whole);
