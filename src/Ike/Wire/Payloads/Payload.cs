using System.Buffers;
using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// One payload of a message's chain. Every payload starts with the generic payload header
/// (RFC 2408 §3.2), which the chain reader/writer handles; a payload type reads and writes
/// only its body.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public abstract record Payload
{
    public const int GenericHeaderSize = 4;

    public abstract PayloadType Type { get; }

    /// <summary>Length of the body, without the generic header.</summary>
    public abstract int BodyLength { get; }

    /// <summary>Length with the generic header: the Payload Length field.</summary>
    public int Length => GenericHeaderSize + BodyLength;

    /// <summary>Writes exactly <see cref="BodyLength"/> bytes (e.g. SAi_b, IDii_b of RFC 2409 §5).</summary>
    public abstract void WriteBody(Span<byte> destination);

    /// <summary>Writes the generic header (with <paramref name="next"/>) and the body; returns the bytes written.</summary>
    public int Write(Span<byte> destination, PayloadType next)
    {
        int length = Length;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{Type} payload of {length} bytes does not fit the 16-bit Payload Length");
        }

        if (destination.Length < length)
        {
            throw new ArgumentException($"need {length} bytes for the {Type} payload", nameof(destination));
        }

        WriteGenericHeader(destination, next, length);
        WriteBody(destination.Slice(GenericHeaderSize, length - GenericHeaderSize));
        return length;
    }

    public void Write(IBufferWriter<byte> writer, PayloadType next)
    {
        int length = Length;
        Write(writer.GetSpan(length), next);
        writer.Advance(length);
    }

    /// <summary>The body as a new array (for the hashes of RFC 2409 that cover payload bodies).</summary>
    public byte[] ToBodyArray()
    {
        byte[] body = new byte[BodyLength];
        WriteBody(body);
        return body;
    }

    internal static void WriteGenericHeader(Span<byte> destination, PayloadType next, int length)
    {
        destination[0] = (byte)next;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)length));
    }
}
