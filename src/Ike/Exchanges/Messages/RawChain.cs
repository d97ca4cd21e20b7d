using System.Buffers.Binary;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Messages;

/// <summary>
/// Walks and writes the chain of generic payload headers that follows the ISAKMP header (RFC 2408 3.2).
/// Reading stops at Next Payload 0; what follows (CBC padding of an encrypted message) is ignored.
/// </summary>
internal static class RawChain
{
    /// <summary>Refuse absurd chains before touching them (racoon has no such limit; a datagram cannot hold more).</summary>
    private const int MaxPayloads = 64;

    public static WireResult<List<RawPayload>> Read(PayloadType first, ReadOnlySpan<byte> bytes)
    {
        var payloads = new List<RawPayload>();
        var next = first;
        var offset = 0;
        while (next != PayloadType.None)
        {
            if (payloads.Count == MaxPayloads)
            {
                return WireError.Malformed($"more than {MaxPayloads} payloads in one message");
            }
            if (bytes.Length - offset < Payload.GenericHeaderSize)
            {
                return WireError.Malformed($"{next} payload at offset {offset}: {bytes.Length - offset} bytes left, shorter than a payload header");
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            if (length < Payload.GenericHeaderSize || length > bytes.Length - offset)
            {
                return WireError.Malformed($"{next} payload at offset {offset}: payload length {length} does not fit the {bytes.Length - offset} bytes left");
            }
            var whole = bytes.Slice(offset, length).ToArray();
            payloads.Add(new RawPayload(next, whole[Payload.GenericHeaderSize..], whole));
            next = (PayloadType)bytes[offset];
            offset += length;
        }
        return WireResult<List<RawPayload>>.Ok(payloads);
    }

    /// <summary>The payloads with their generic headers chained, the last one with Next Payload 0.</summary>
    public static byte[] Write(IReadOnlyList<Payload> payloads)
    {
        var length = payloads.Sum(p => p.Length);
        var bytes = new byte[length];
        var offset = 0;
        for (var i = 0; i < payloads.Count; i++)
        {
            offset += payloads[i].Write(bytes.AsSpan(offset), i + 1 < payloads.Count ? payloads[i + 1].Type : PayloadType.None);
        }
        return bytes;
    }
}
