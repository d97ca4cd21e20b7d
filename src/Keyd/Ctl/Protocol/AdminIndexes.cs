using System.Net;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>
/// <c>struct admin_com_indexes</c> (264 bytes): source and destination prefix lengths, upper-layer protocol
/// (255 = any), then two sockaddr_storage at offsets 8 and 136.
/// </summary>
internal sealed record AdminIndexes(byte SourcePrefix, byte DestinationPrefix, byte UpperProtocol, IPEndPoint Source, IPEndPoint Destination)
{
    public const int Size = 264;
    public const byte AnyProtocol = 255;

    public byte[] ToBytes()
    {
        var buffer = new byte[Size];
        buffer[0] = SourcePrefix;
        buffer[1] = DestinationPrefix;
        buffer[2] = UpperProtocol;
        SocketAddressCodec.Write(buffer.AsSpan(8), Source);
        SocketAddressCodec.Write(buffer.AsSpan(136), Destination);
        return buffer;
    }

    public static AdminIndexes Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new FormatException($"admin_com_indexes needs {Size} bytes, got {source.Length}");
        var src = SocketAddressCodec.Read(source[8..]) ?? throw new FormatException("admin_com_indexes: source address missing");
        var dst = SocketAddressCodec.Read(source[136..]) ?? throw new FormatException("admin_com_indexes: destination address missing");
        return new AdminIndexes(source[0], source[1], source[2], src, dst);
    }
}
