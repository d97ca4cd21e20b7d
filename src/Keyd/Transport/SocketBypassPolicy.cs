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

    public const int IpIpsecPolicy = 16;
    public const int Ipv6IpsecPolicy = 34;

    /// <summary>sizeof(struct sadb_x_policy): len (in 8-byte units), exttype, type, dir, reserved, id, priority.</summary>
    public const int PfKeySize = 16;

    private const ushort SadbXExtPolicy = 18;
    private const ushort IpsecPolicyBypass = 4;

    /// <summary>
    /// racoon's own form of the same bypass: a <c>struct sadb_x_policy</c> of type BYPASS for IP_IPSEC_POLICY /
    /// IPV6_IPSEC_POLICY, which af_key compiles (IPSEC_DIR_INBOUND 1, OUTBOUND 2).
    /// </summary>
    public static byte[] EncodePfKey(byte direction)
    {
        var buffer = new byte[PfKeySize];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, PfKeySize / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], SadbXExtPolicy);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], IpsecPolicyBypass);
        span[6] = direction == DirectionIn ? (byte)1 : (byte)2;
        return buffer;
    }

    /// <summary>
    /// Installs the bypass in both directions on <paramref name="socket"/>. The kernel compiles a socket policy
    /// with whichever key manager is loaded: xfrm_user for the XFRM form, af_key for the PF_KEY form. A daemon on
    /// PF_KEY may run where xfrm_user was never loaded (EOPNOTSUPP for the XFRM form), so that form follows.
    /// </summary>
    public static void Apply(Socket socket)
    {
        var family = socket.AddressFamily;
        var v6 = family == AddressFamily.InterNetworkV6;
        var level = v6 ? SolIpv6 : SolIp;
        try
        {
            socket.SetRawSocketOption(level, v6 ? Ipv6XfrmPolicy : IpXfrmPolicy, Encode(family, DirectionIn));
            socket.SetRawSocketOption(level, v6 ? Ipv6XfrmPolicy : IpXfrmPolicy, Encode(family, DirectionOut));
        }
        catch (SocketException xfrm) when (xfrm.SocketErrorCode == SocketError.OperationNotSupported)
        {
            socket.SetRawSocketOption(level, v6 ? Ipv6IpsecPolicy : IpIpsecPolicy, EncodePfKey(DirectionIn));
            socket.SetRawSocketOption(level, v6 ? Ipv6IpsecPolicy : IpIpsecPolicy, EncodePfKey(DirectionOut));
        }
    }
}
