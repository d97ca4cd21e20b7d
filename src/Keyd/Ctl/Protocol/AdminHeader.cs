using System.Buffers.Binary;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>
/// <c>struct admin_com</c>, 8 bytes in host byte order (little-endian on every Linux racoon runs on):
/// length including the header, command, a union of errno (replies) / version (requests) / high length
/// bits (long replies), and the protocol.
/// </summary>
internal readonly record struct AdminHeader(ushort Length, ushort Command, short ErrnoOrVersion, ushort Proto)
{
    public const int Size = 8;

    /// <summary>The command without the version/long-reply flag.</summary>
    public ushort BareCommand => (ushort)(Command & ~AdminCommand.FlagVersion);

    public bool HasVersionFlag => (Command & AdminCommand.FlagVersion) != 0;

    public static AdminHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new FormatException($"admin header needs {Size} bytes, got {source.Length}");
        return new AdminHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(source),
            BinaryPrimitives.ReadUInt16LittleEndian(source[2..]),
            BinaryPrimitives.ReadInt16LittleEndian(source[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[6..]));
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], Command);
        BinaryPrimitives.WriteInt16LittleEndian(destination[4..], ErrnoOrVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], Proto);
    }

    /// <summary>A request as racoonctl sends it: version flag set, version 1.</summary>
    public static byte[] Request(ushort command, ushort proto, ReadOnlySpan<byte> payload)
    {
        var message = new byte[Size + payload.Length];
        new AdminHeader(checked((ushort)message.Length), (ushort)(command | AdminCommand.FlagVersion), 1, proto).Write(message);
        payload.CopyTo(message.AsSpan(Size));
        return message;
    }

    /// <summary>
    /// A reply: errno on failure; on success a payload longer than 65535 bytes sets the long-reply flag and
    /// carries the upper 16 bits of the length in the union.
    /// </summary>
    public static byte[] Reply(ushort command, ushort proto, short errno, ReadOnlySpan<byte> payload)
    {
        var total = Size + payload.Length;
        var message = new byte[total];
        var longReply = errno == 0 && total > ushort.MaxValue;
        var header = longReply
            ? new AdminHeader((ushort)(total & 0xffff), (ushort)(command | AdminCommand.FlagLongReply), (short)(ushort)(total >> 16), proto)
            : new AdminHeader((ushort)total, command, errno, proto);
        header.Write(message);
        payload.CopyTo(message.AsSpan(Size));
        return message;
    }

    /// <summary>Total reply length, honouring the long-reply flag.</summary>
    public int ReplyLength => (Command & AdminCommand.FlagLongReply) != 0 ? Length | ((ushort)ErrnoOrVersion << 16) : Length;

    /// <summary>The errno of a reply (0 for long replies, whose union holds length bits).</summary>
    public short ReplyErrno => (Command & AdminCommand.FlagLongReply) != 0 ? (short)0 : ErrnoOrVersion;
}
