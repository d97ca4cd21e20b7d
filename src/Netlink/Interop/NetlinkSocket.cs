using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace KernelIpsec.Netlink.Interop;

/// <summary><c>struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }</c> (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort Family;
    public ushort Pad;
    public uint Pid;
    public uint Groups;
}

/// <summary>
/// A netlink socket: the fd comes from Tmds.LibC <c>socket()</c>/<c>bind()</c> and is owned by a
/// <see cref="SafeSocketHandle"/> inside a <see cref="Socket"/>, which gives async receive over epoll.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly Socket socket;

    private NetlinkSocket(Socket socket) => this.socket = socket;

    /// <param name="protocol">NETLINK_XFRM.</param>
    /// <param name="groups">Multicast group bitmask (bit n-1 for group n), 0 for a request socket.</param>
    /// <param name="receiveBufferBytes">SO_RCVBUF(FORCE) size, 0 for the system default.</param>
    public static NetlinkSocket Open(int protocol, uint groups, int receiveBufferBytes = 0)
    {
        var fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
            throw new KernelIpsecException("open", $"netlink socket (protocol {protocol})", LibC.errno);
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            if (receiveBufferBytes > 0)
            {
                // SO_RCVBUFFORCE passes rmem_max for root; fall back to SO_RCVBUF (capped) otherwise.
                var size = receiveBufferBytes;
                if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, &size, sizeof(int)) != 0
                    && LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &size, sizeof(int)) != 0)
                    throw new KernelIpsecException("set receive buffer of", "netlink socket", LibC.errno);
            }

            var address = new SockaddrNl { Family = (ushort)LibC.AF_NETLINK, Groups = groups };
            if (LibC.bind(fd, (sockaddr*)&address, sizeof(SockaddrNl)) != 0)
                throw new KernelIpsecException("bind", $"netlink socket (groups 0x{groups:x})", LibC.errno);
            return new NetlinkSocket(new Socket(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> message)
    {
        var sent = socket.Send(message, SocketFlags.None);
        if (sent != message.Length)
            throw new InvalidOperationException($"netlink send wrote {sent} of {message.Length} bytes");
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public void Dispose() => socket.Dispose();
}
