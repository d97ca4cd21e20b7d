using System.Buffers.Binary;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary><c>struct scheddump</c> (32 bytes): when it fires (xtime), id, when it was created, its interval (tick), all seconds.</summary>
internal sealed record SchedDump(long FireTime, long Id, long Created, long Tick)
{
    public const int Size = 32;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, FireTime);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], Id);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], Created);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], Tick);
    }

    public static SchedDump Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt64LittleEndian(source),
        BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[24..]));

    public static byte[] WriteAll(IReadOnlyList<SchedDump> dumps)
    {
        var buffer = new byte[dumps.Count * Size];
        for (var i = 0; i < dumps.Count; i++)
            dumps[i].Write(buffer.AsSpan(i * Size));
        return buffer;
    }

    public static IReadOnlyList<SchedDump> ReadAll(ReadOnlySpan<byte> payload)
    {
        if (payload.Length % Size != 0)
            throw new FormatException($"show-schedule reply of {payload.Length} bytes is not a multiple of {Size}");
        var list = new List<SchedDump>();
        for (var offset = 0; offset < payload.Length; offset += Size)
            list.Add(Read(payload[offset..]));
        return list;
    }
}
