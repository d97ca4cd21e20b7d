using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>Reads the generic payload header (RFC 2408 §3.2) of the payload at an offset, bounds-checked.</summary>
internal static class GenericHeader
{
    /// <summary>
    /// Checks that a payload header and the whole payload it announces lie within
    /// <paramref name="source"/> from <paramref name="offset"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int offset, string what,
        out PayloadType next, out int length, out WireError error)
    {
        next = PayloadType.None;
        length = 0;
        int available = source.Length - offset;
        if (available < Payload.GenericHeaderSize)
        {
            error = WireError.Malformed($"{what}: {available} bytes left, shorter than a payload header");
            return false;
        }

        next = (PayloadType)source[offset];
        length = BinaryPrimitives.ReadUInt16BigEndian(source[(offset + 2)..]);
        if (length < Payload.GenericHeaderSize)
        {
            error = WireError.Malformed($"{what}: payload length {length} is shorter than the payload header");
            return false;
        }

        if (length > available)
        {
            error = WireError.Malformed($"{what}: payload length {length} exceeds the {available} bytes left");
            return false;
        }

        error = default;
        return true;
    }
}
