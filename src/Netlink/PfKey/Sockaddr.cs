using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// Linux <c>sockaddr_in</c> (16 bytes) and <c>sockaddr_in6</c> (28 bytes) as PF_KEY carries them after
/// sadb_address and inside ipsecrequests: family in host order (Linux has no sa_len), port and address in
/// network order.
/// </summary>
internal static class Sockaddr
{
    public static int Size(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => SockaddrInSize,
        AddressFamily.InterNetworkV6 => SockaddrIn6Size,
        _ => throw new ArgumentException($"address family {family} is not IPv4 or IPv6"),
    };

    /// <summary>Writes the sockaddr into <paramref name="span"/> (which must be zeroed and long enough).</summary>
    public static void Write(Span<byte> span, IPAddress address, ushort port)
    {
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        HostOrder.Write16(span, v6 ? AF_INET6 : AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], port);
        // sockaddr_in6: sin6_flowinfo (4 bytes) precedes the address; scope id follows.
        if (!address.TryWriteBytes(span[(v6 ? 8 : 4)..], out _))
            throw new ArgumentException($"cannot encode address {address}");
        if (v6 && address.ScopeId != 0)
            HostOrder.Write32(span[24..], (uint)address.ScopeId);
    }

    /// <summary>Reads a sockaddr; <paramref name="what"/> names the field for errors.</summary>
    public static (IPAddress Address, ushort Port, int Size) Read(ReadOnlySpan<byte> span, string what)
    {
        if (span.Length < 2)
            throw new PfKeyFormatException($"{what}: no room for a sockaddr ({span.Length} bytes)");
        var family = HostOrder.Read16(span);
        switch (family)
        {
            case AF_INET:
                if (span.Length < SockaddrInSize)
                    throw new PfKeyFormatException($"{what}: sockaddr_in needs {SockaddrInSize} bytes, has {span.Length}");
                return (new IPAddress(span.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(span[2..]), SockaddrInSize);
            case AF_INET6:
                if (span.Length < SockaddrIn6Size)
                    throw new PfKeyFormatException($"{what}: sockaddr_in6 needs {SockaddrIn6Size} bytes, has {span.Length}");
                var scope = HostOrder.Read32(span[24..]);
                return (new IPAddress(span.Slice(8, 16), scope), BinaryPrimitives.ReadUInt16BigEndian(span[2..]), SockaddrIn6Size);
            default:
                throw new PfKeyFormatException($"{what}: sockaddr family {family} is not AF_INET (2) or AF_INET6 (10)");
        }
    }
}
