using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Messages;

/// <summary>
/// Splits the chain of generic payload headers that follows the ISAKMP header (RFC 2408 3.2) into raw
/// payloads, which the exchanges parse one by one with the reader they expect (<see cref="PayloadChain"/>
/// parses every body at once; an exchange needs the bytes too, for HASH_I's "_b" and quick mode's HASH).
/// Reading stops at Next Payload 0; what follows (CBC padding of an encrypted message) is ignored.
/// Writing is <see cref="PayloadChain.ToArray"/>.
/// </summary>
internal static class RawChain
{
    /// <summary>Refuse absurd chains before touching them (racoon has no such limit; a datagram cannot hold more).</summary>
    private const int MaxPayloads = 64;

    public static WireResult<List<RawPayload>> Read(PayloadType first, ReadOnlySpan<byte> bytes)
    {
        var payloads = new List<RawPayload>();
        var type = first;
        var offset = 0;
        while (type != PayloadType.None)
        {
            if (payloads.Count == MaxPayloads)
            {
                return WireError.Malformed($"more than {MaxPayloads} payloads in one message");
            }
            if (!GenericHeader.TryRead(bytes, offset, $"{type} payload at offset {offset}", out var next, out var length, out var error))
            {
                return error;
            }
            var whole = bytes.Slice(offset, length).ToArray();
            payloads.Add(new RawPayload(type, whole[Payload.GenericHeaderSize..], whole));
            type = next;
            offset += length;
        }
        return WireResult<List<RawPayload>>.Ok(payloads);
    }
}
