using System.Net.Sockets;
using Tmds.Linux;
using static KernelIpsec.Netlink.PfKey.PfKeyConstants;

namespace KernelIpsec.Netlink.PfKey;

/// <summary>
/// A <c>socket(PF_KEY, SOCK_RAW, PF_KEY_V2)</c>: the fd comes from Tmds.LibC and is owned by a
/// <see cref="SafeSocketHandle"/> inside a <see cref="Socket"/> (async receive over epoll). Every receive returns one
/// whole message. The socket belongs to the network namespace of the thread that opened it.
/// </summary>
internal sealed unsafe class PfKeySocket : IDisposable
{
    /// <summary>What every tool prints when the kernel has no PF_KEY.</summary>
    public const string NotAvailableMessage = "PF_KEY not available: load af_key or use --kernel xfrm";

    private readonly Socket socket;

    private PfKeySocket(Socket socket) => this.socket = socket;

    /// <summary>
    /// Opens the socket (needs CAP_NET_ADMIN). A kernel without af_key answers EAFNOSUPPORT/EPROTONOSUPPORT:
    /// that becomes a <see cref="PlatformNotSupportedException"/> saying what to do.
    /// </summary>
    public static PfKeySocket Open(int receiveBufferBytes = 0)
    {
        var fd = LibC.socket(PF_KEY, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, PF_KEY_V2);
        if (fd < 0)
        {
            var errno = LibC.errno;
            if (errno is KernelErrno.EAFNOSUPPORT or KernelErrno.EPROTONOSUPPORT or KernelErrno.ENOSYS)
                throw new PlatformNotSupportedException(NotAvailableMessage);
            throw new KernelIpsecException("open", "PF_KEY socket", errno);
        }

        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            if (receiveBufferBytes > 0)
            {
                // SO_RCVBUFFORCE passes rmem_max for root; otherwise SO_RCVBUF, capped by the kernel.
                var size = receiveBufferBytes;
                if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, &size, sizeof(int)) != 0
                    && LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &size, sizeof(int)) != 0)
                {
                    throw new KernelIpsecException("set receive buffer of", "PF_KEY socket", LibC.errno);
                }
            }

            return new PfKeySocket(new Socket(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message; af_key answers a malformed header by failing the send itself.</summary>
    public void Send(ReadOnlySpan<byte> message, string operation, string entry)
    {
        int sent;
        try
        {
            sent = socket.Send(message, SocketFlags.None);
        }
        catch (SocketException e)
        {
            throw new KernelIpsecException(operation, entry, e.NativeErrorCode is > 0 and < 4096 ? e.NativeErrorCode : KernelErrno.EINVAL);
        }

        if (sent != message.Length)
            throw new InvalidOperationException($"PF_KEY send wrote {sent} of {message.Length} bytes");
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    /// <summary>
    /// Takes one queued message without waiting (MSG_DONTWAIT); false when the queue is empty. PF_KEY sockets answer
    /// FIONREAD with EOPNOTSUPP, so this is how to look.
    /// </summary>
    public bool TryReceiveQueued(Span<byte> buffer)
    {
        var fd = (int)socket.SafeHandle.DangerousGetHandle();
        fixed (byte* p = buffer)
        {
            var n = LibC.recv(fd, p, buffer.Length, LibC.MSG_DONTWAIT);
            if (n >= 0)
                return true;
            var errno = LibC.errno;
            if (errno == LibC.EAGAIN || errno == LibC.EINTR)
                return false;
            throw new KernelIpsecException("receive from", "PF_KEY socket", errno);
        }
    }

    public void Dispose() => socket.Dispose();
}
