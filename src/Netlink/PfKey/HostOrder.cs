using System.Buffers.Binary;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// sadb_* fields are in the host's byte order (RFC 2367 §2: "host byte order" for everything except SPIs,
/// ports and addresses, which stay in network order).
/// </summary>
internal static class HostOrder
{
    public static void Write16(Span<byte> span, ushort value)
    {
        if (BitConverter.IsLittleEndian)
            BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        else
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
    }

    public static void Write32(Span<byte> span, uint value)
    {
        if (BitConverter.IsLittleEndian)
            BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        else
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
    }

    public static void Write64(Span<byte> span, ulong value)
    {
        if (BitConverter.IsLittleEndian)
            BinaryPrimitives.WriteUInt64LittleEndian(span, value);
        else
            BinaryPrimitives.WriteUInt64BigEndian(span, value);
    }

    public static ushort Read16(ReadOnlySpan<byte> span) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16BigEndian(span);

    public static uint Read32(ReadOnlySpan<byte> span) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32BigEndian(span);

    public static ulong Read64(ReadOnlySpan<byte> span) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(span) : BinaryPrimitives.ReadUInt64BigEndian(span);
}
