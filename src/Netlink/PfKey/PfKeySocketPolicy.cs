using System.Net.Sockets;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// racoon's own per-socket IPsec bypass: a <c>struct sadb_x_policy</c> of type BYPASS set with IP_IPSEC_POLICY /
/// IPV6_IPSEC_POLICY once per direction, which af_key compiles.
/// </summary>
internal static class PfKeySocketPolicy
{
    public const int IpIpsecPolicy = 16;
    public const int Ipv6IpsecPolicy = 34;

    /// <summary>sadb_x_policy: len (in 8-byte units), exttype, type, dir, reserved, id 0, priority 0; no ipsecrequest.</summary>
    /// <param name="direction">IPSEC_DIR_INBOUND or IPSEC_DIR_OUTBOUND.</param>
    public static byte[] Encode(byte direction)
    {
        var buffer = new byte[SadbXPolicySize];
        HostOrder.Write16(buffer, SadbXPolicySize / WordBytes);
        HostOrder.Write16(buffer.AsSpan(2), SADB_X_EXT_POLICY);
        HostOrder.Write16(buffer.AsSpan(4), IPSEC_POLICY_BYPASS);
        buffer[6] = direction;
        return buffer;
    }

    public static void Apply(Socket socket)
    {
        var (level, name) = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? ((int)SocketOptionLevel.IPv6, Ipv6IpsecPolicy)
            : ((int)SocketOptionLevel.IP, IpIpsecPolicy);
        socket.SetRawSocketOption(level, name, Encode(IPSEC_DIR_INBOUND));
        socket.SetRawSocketOption(level, name, Encode(IPSEC_DIR_OUTBOUND));
    }
}
