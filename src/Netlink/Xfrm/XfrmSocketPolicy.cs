using System.Net.Sockets;
using System.Runtime.InteropServices;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Xfrm;

/// <summary>
/// The per-socket IPsec bypass the XFRM way (racoon's <c>setsockopt(IP_IPSEC_POLICY, "in bypass")</c>): a
/// <c>struct xfrm_userpolicy_info</c> with action ALLOW and no templates, set with IP_XFRM_POLICY /
/// IPV6_XFRM_POLICY once per direction; xfrm_user compiles it.
/// </summary>
internal static class XfrmSocketPolicy
{
    public const int IpXfrmPolicy = 17;
    public const int Ipv6XfrmPolicy = 35;

    /// <summary>
    /// The policy for <paramref name="direction"/>: a zero selector of the socket's family (the kernel rejects
    /// family 0), no byte/packet limits (XFRM_INF as iproute2 writes them), priority and index 0 (the kernel
    /// assigns a socket policy's index), action allow.
    /// </summary>
    public static byte[] Encode(AddressFamily family, PolicyDirection direction)
    {
        var info = new XfrmUserpolicyInfo
        {
            Sel = new XfrmSelector { Family = XfrmEncoding.Family(family) },
            Lft = new XfrmLifetimeCfg
            {
                SoftByteLimit = XfrmConstants.XFRM_INF,
                HardByteLimit = XfrmConstants.XFRM_INF,
                SoftPacketLimit = XfrmConstants.XFRM_INF,
                HardPacketLimit = XfrmConstants.XFRM_INF,
            },
            Dir = (byte)direction,
            Action = (byte)PolicyAction.Allow,
        };
        return MemoryMarshal.AsBytes(new ReadOnlySpan<XfrmUserpolicyInfo>(in info)).ToArray();
    }

    public static void Apply(Socket socket)
    {
        var family = socket.AddressFamily;
        var (level, name) = family == AddressFamily.InterNetworkV6 ? ((int)SocketOptionLevel.IPv6, Ipv6XfrmPolicy) : ((int)SocketOptionLevel.IP, IpXfrmPolicy);
        socket.SetRawSocketOption(level, name, Encode(family, PolicyDirection.In));
        socket.SetRawSocketOption(level, name, Encode(family, PolicyDirection.Out));
    }
}
