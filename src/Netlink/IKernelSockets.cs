using System.Net.Sockets;

namespace KernelIpsec.Netlink;

/// <summary>
/// What a key-management daemon asks of the kernel for its own UDP sockets (strongSwan's
/// <c>kernel_net.bypass_socket()</c>/<c>enable_udp_decap()</c>): both need CAP_NET_ADMIN and fail with a
/// <see cref="SocketException"/>.
/// </summary>
public interface IKernelSockets
{
    /// <summary>
    /// A per-socket policy that lets <paramref name="socket"/>'s traffic past the SPD in both directions, so IKE is
    /// never caught by the policies it negotiates; `ip xfrm policy` lists it as <c>socket in</c>/<c>socket out</c>.
    /// </summary>
    void BypassSocket(Socket socket);

    /// <summary>UDP_ENCAP_ESPINUDP on <paramref name="socket"/>: the kernel takes ESP-in-UDP arriving there and leaves IKE (with its non-ESP marker) to the socket.</summary>
    void EnableUdpEncapsulation(Socket socket);
}
