using System.Buffers.Binary;
using System.Net.Sockets;

namespace KernelIpsec.Keyd.Transport;

/// <summary>
/// The per-socket IPsec bypass that keeps IKE itself out of the SPD (racoon's
/// <c>setsockopt(IP_IPSEC_POLICY, "in bypass")</c>, done the XFRM way): a <c>struct xfrm_userpolicy_info</c>
/// with action ALLOW and no templates, set with IP_XFRM_POLICY / IPV6_XFRM_POLICY once per direction.
/// `ip xfrm policy` lists the result as <c>socket in</c> / <c>socket out</c>. Needs CAP_NET_ADMIN.
/// </summary>
public static class SocketBypassPolicy
{
    public const int SolIp = 0;
    public const int SolIpv6 = 41;
    public const int IpXfrmPolicy = 17;
    public const int Ipv6XfrmPolicy = 35;

    public const byte DirectionIn = 0;
    public const byte DirectionOut = 1;
    public const byte ActionAllow = 0;

    /// <summary>sizeof(struct xfrm_userpolicy_info) on 64-bit Linux (selector 56, lifetime cfg 64, cur 32, tail 16).</summary>
    public const int Size = 168;

    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    /// <summary>
    /// Encodes the policy for <paramref name="direction"/>: a zero selector of the socket's family (the kernel
    /// rejects family 0), no byte/packet limits (XFRM_INF as iproute2 writes them), action allow.
    /// </summary>
    public static byte[] Encode(AddressFamily family, byte direction)
    {
        var buffer = new byte[Size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span[40..], family == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet);
        // xfrm_lifetime_cfg at 56: soft_byte, hard_byte, soft_packet, hard_packet = XFRM_INF; add/use times 0.
        for (var i = 0; i < 4; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(span[(56 + (i * 8))..], ulong.MaxValue);
        // priority (152) and index (156) stay 0: the kernel assigns a socket policy index itself.
        span[160] = direction;
        span[161] = ActionAllow;
        return buffer;
    }

    /// <summary>Installs the bypass in both directions on <paramref name="socket"/>.</summary>
    public static void Apply(Socket socket)
    {
        var family = socket.AddressFamily;
        var (level, name) = family == AddressFamily.InterNetworkV6 ? (SolIpv6, Ipv6XfrmPolicy) : (SolIp, IpXfrmPolicy);
        socket.SetRawSocketOption(level, name, Encode(family, DirectionIn));
        socket.SetRawSocketOption(level, name, Encode(family, DirectionOut));
    }
}
