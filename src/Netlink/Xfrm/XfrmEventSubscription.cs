using System.Net.Sockets;
using System.Runtime.CompilerServices;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.NetlinkProtocol;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Netlink.Xfrm;

/// <summary>
/// A NETLINK_XFRM socket bound to the ACQUIRE, EXPIRE, SA, POLICY and MAPPING (NAT-T peer moved) groups. Notifications become
/// <see cref="KernelEvent"/>s. When the kernel drops notifications because this socket's queue was full
/// (ENOBUFS), the loss is logged and a <see cref="ResyncRequiredEvent"/> is yielded; listening goes on.
/// </summary>
internal sealed partial class XfrmEventSubscription : IKernelEventSubscription
{
    public const int DefaultReceiveBufferBytes = 4 * 1024 * 1024;

    private const uint Groups =
        (1u << (XfrmConstants.XFRMNLGRP_ACQUIRE - 1)) | (1u << (XfrmConstants.XFRMNLGRP_EXPIRE - 1))
        | (1u << (XfrmConstants.XFRMNLGRP_SA - 1)) | (1u << (XfrmConstants.XFRMNLGRP_POLICY - 1))
        | (1u << (XfrmConstants.XFRMNLGRP_MAPPING - 1));

    private readonly NetlinkSocket socket;
    private readonly ILogger logger;
    private readonly CancellationTokenSource disposed = new();

    private XfrmEventSubscription(NetlinkSocket socket, ILogger logger)
    {
        this.socket = socket;
        this.logger = logger;
    }

    public static XfrmEventSubscription Open(ILogger logger, int receiveBufferBytes) =>
        new(NetlinkSocket.Open(XfrmConstants.NETLINK_XFRM, Groups, receiveBufferBytes), logger);

    public async IAsyncEnumerator<KernelEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token);
        var buffer = new byte[256 * 1024];
        while (true)
        {
            int received;
            string? lost = null;
            try
            {
                received = await socket.ReceiveAsync(buffer, linked.Token).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                received = 0;
                lost = "kernel event queue overflowed (ENOBUFS): notifications were lost";
            }
            catch (OperationCanceledException) when (disposed.IsCancellationRequested)
            {
                yield break;
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }

            if (lost is not null)
            {
                LogLost(logger, lost);
                yield return new ResyncRequiredEvent(lost);
                continue;
            }

            foreach (var e in Decode(buffer.AsSpan(0, received)))
                yield return e;
        }
    }

    private List<KernelEvent> Decode(ReadOnlySpan<byte> datagram)
    {
        var events = new List<KernelEvent>();
        try
        {
            while (NetlinkMessage.TryRead(ref datagram, out var m))
            {
                try
                {
                    if (XfrmDecoder.Event(m.Type, m.Body) is { } e)
                        events.Add(e);
                }
                catch (Exception ex) when (ex is NetlinkFormatException or ArgumentException)
                {
                    // One odd notification must not end the stream; say what was dropped.
                    LogDropped(logger, m.Type, ex.Message);
                }
            }
        }
        catch (NetlinkFormatException ex)
        {
            LogDroppedRest(logger, ex.Message);
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        disposed.Cancel();
        socket.Dispose();
        disposed.Dispose();
        return ValueTask.CompletedTask;
    }
}
