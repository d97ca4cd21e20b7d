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
/// A netlink socket over plain Tmds.LibC calls. Requests use <see cref="Send"/> and <see cref="Receive"/>, which never
/// start a thread: the kernel queues XFRM answers while handling the send (and builds dump parts during the receive),
/// so a reply is waiting by the time we look. Only listeners (<see cref="ReceiveAsync"/>, for event subscriptions)
/// wrap the fd in a <see cref="Socket"/>, whose async receive runs over the runtime's epoll thread; one-shot tools such
/// as <c>setkey -D</c> never create it, which keeps their start-up to one thread and no socket engine.
/// </summary>
internal sealed unsafe partial class NetlinkSocket : IDisposable
{
    /// <summary>How long one <c>poll</c> waits before looking at the cancellation token again.</summary>
    private const int CancellationPollMilliseconds = 100;

    private readonly FileDescriptor fd;
    private Socket? listener;

    private NetlinkSocket(FileDescriptor fd) => this.fd = fd;

    /// <param name="protocol">NETLINK_XFRM.</param>
    /// <param name="groups">Multicast group bitmask (bit n-1 for group n), 0 for a request socket.</param>
    /// <param name="receiveBufferBytes">SO_RCVBUF(FORCE) size, 0 for the system default.</param>
    public static NetlinkSocket Open(int protocol, uint groups, int receiveBufferBytes = 0)
    {
        var raw = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (raw < 0)
            throw new KernelIpsecException("open", $"netlink socket (protocol {protocol})", LibC.errno);
        var fd = new FileDescriptor(raw);
        try
        {
            if (receiveBufferBytes > 0)
            {
                // SO_RCVBUFFORCE passes rmem_max for root; fall back to SO_RCVBUF (capped) otherwise.
                var size = receiveBufferBytes;
                if (LibC.setsockopt(raw, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, &size, sizeof(int)) != 0
                    && LibC.setsockopt(raw, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &size, sizeof(int)) != 0)
                {
                    throw new KernelIpsecException("set receive buffer of", "netlink socket", LibC.errno);
                }
            }

            var address = new SockaddrNl { Family = (ushort)LibC.AF_NETLINK, Groups = groups };
            if (LibC.bind(raw, (sockaddr*)&address, sizeof(SockaddrNl)) != 0)
                throw new KernelIpsecException("bind", $"netlink socket (groups 0x{groups:x})", LibC.errno);
            return new NetlinkSocket(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request; a refused send becomes a <see cref="KernelIpsecException"/> with its errno.</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            long sent;
            do
                sent = LibC.send(fd.Value, p, message.Length, 0);
            while (sent < 0 && LibC.errno == LibC.EINTR);
            if (sent < 0)
                throw new KernelIpsecException("send to", "netlink socket", LibC.errno);
            if (sent != message.Length)
                throw new InvalidOperationException($"netlink send wrote {sent} of {message.Length} bytes");
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/> (its length). Waits in <c>poll</c> only when nothing is
    /// queued yet, waking every <see cref="CancellationPollMilliseconds"/> ms to honour <paramref name="cancellationToken"/>.
    /// </summary>
    public int Receive(Span<byte> buffer, CancellationToken cancellationToken)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var received = LibC.recv(fd.Value, p, buffer.Length, LibC.MSG_DONTWAIT);
                if (received >= 0)
                    return (int)received;
                var errno = LibC.errno;
                if (errno == LibC.EINTR)
                    continue;
                if (errno != LibC.EAGAIN)
                    throw new KernelIpsecException("receive from", "netlink socket", errno);
                cancellationToken.ThrowIfCancellationRequested();
                var wait = new PollFd { Fd = fd.Value, Events = PollFd.POLLIN };
                if (Poll(&wait, 1, CancellationPollMilliseconds) < 0 && LibC.errno != LibC.EINTR)
                    throw new KernelIpsecException("wait for", "netlink socket", LibC.errno);
            }
        }
    }

    /// <summary>Receives asynchronously (event listeners); the first call wraps the fd in a <see cref="Socket"/>.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        listener ??= new Socket(new SafeSocketHandle(fd.Value, ownsHandle: false));
        return listener.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
    }

    public void Dispose()
    {
        // The Socket (if any) does not own the fd: it lets go of it (and of epoll) first, then the fd is closed once.
        listener?.Dispose();
        fd.Dispose();
    }

    /// <summary><c>int poll(struct pollfd *fds, nfds_t nfds, int timeout)</c>; Tmds.LibC 0.5 has no binding for it.</summary>
    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary><c>struct pollfd { int fd; short events; short revents; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public const short POLLIN = 0x001;

        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>Owns the descriptor: closed exactly once, also when the socket object is only finalized.</summary>
    private sealed class FileDescriptor : SafeHandle
    {
        public FileDescriptor(int fd)
            : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

        public int Value => (int)handle;

        public override bool IsInvalid => handle < 0;

        protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
    }
}
