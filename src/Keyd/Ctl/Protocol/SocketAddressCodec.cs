using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary><c>struct sockaddr_storage</c> (128 bytes) holding a sockaddr_in or sockaddr_in6, as Linux lays them out.</summary>
internal static class SocketAddressCodec
{
    public const int StorageSize = 128;
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    public static void Write(Span<byte> destination, IPEndPoint endpoint)
    {
        destination[..StorageSize].Clear();
        var port = (ushort)endpoint.Port;
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, AfInet6);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], port);
            endpoint.Address.TryWriteBytes(destination.Slice(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)endpoint.Address.ScopeId);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, AfInet);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], port);
            endpoint.Address.TryWriteBytes(destination.Slice(4, 4), out _);
        }
    }

    /// <summary>The address, or null for AF_UNSPEC (racoon leaves unused slots zero).</summary>
    public static IPEndPoint? Read(ReadOnlySpan<byte> source)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(source);
        var port = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        return family switch
        {
            AfInet => new IPEndPoint(new IPAddress(source.Slice(4, 4)), port),
            AfInet6 => new IPEndPoint(new IPAddress(source.Slice(8, 16).ToArray(), BinaryPrimitives.ReadUInt32LittleEndian(source[24..])), port),
            0 => null,
            _ => throw new FormatException($"sockaddr family {family} is neither AF_INET nor AF_INET6"),
        };
    }
}
