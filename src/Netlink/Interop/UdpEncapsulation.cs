using System.Net.Sockets;

namespace KernelIpsec.Netlink.Interop;

/// <summary>
/// <c>setsockopt(SOL_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)</c>: the same socket option whichever key manager installs
/// the SAs, since ESP-in-UDP decapsulation belongs to the UDP socket, not to XFRM or af_key.
/// </summary>
internal static class UdpEncapsulation
{
    private const int SolUdp = 17;
    private const int UdpEncap = 100;
    private const int UdpEncapEspInUdp = 2;

    public static void Enable(Socket socket) =>
        socket.SetRawSocketOption(SolUdp, UdpEncap, BitConverter.GetBytes(UdpEncapEspInUdp));
}
