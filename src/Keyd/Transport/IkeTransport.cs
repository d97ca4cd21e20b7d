using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Transport;

/// <summary>
/// The daemon's IKE sockets: one per listen endpoint, each with its receive loop feeding the event loop.
/// Sends go out of the socket bound to the intent's local address and port, so replies leave from the
/// address the request arrived on. Not thread-safe: the event loop owns it.
/// </summary>
public sealed partial class IkeTransport : IDisposable
{
    private readonly IKernelSockets kernel;
    private readonly Func<IkeDatagram, ValueTask> deliver;
    private readonly ILogger logger;
    private readonly Dictionary<ListenEndpoint, (IkeSocket Socket, CancellationTokenSource Stop, Task Loop)> sockets = [];

    /// <param name="kernel">Sets each socket's IPsec bypass and, on the NAT-T port, UDP encapsulation.</param>
    public IkeTransport(IKernelSockets kernel, Func<IkeDatagram, ValueTask> deliver, ILogger logger)
    {
        this.kernel = kernel;
        this.deliver = deliver;
        this.logger = logger;
    }

    public IReadOnlyCollection<IkeSocket> Sockets => sockets.Values.Select(s => s.Socket).ToList();

    /// <summary>
    /// Opens what <paramref name="wanted"/> lists and is not open yet, closes what it no longer lists.
    /// A socket that cannot be bound is logged and skipped (racoon carries on with the others).
    /// </summary>
    public void Reconcile(IReadOnlyList<ListenEndpoint> wanted)
    {
        foreach (var gone in sockets.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            Close(gone);
            LogReleased(logger, Describe(gone));
        }
        foreach (var endpoint in wanted)
        {
            if (sockets.ContainsKey(endpoint))
                continue;
            IkeSocket socket;
            try
            {
                socket = IkeSocket.Open(endpoint, kernel, logger);
            }
            catch (SocketException e)
            {
                LogBindFailed(logger, Describe(endpoint), e.Message);
                continue;
            }
            var stop = new CancellationTokenSource();
            var loop = Task.Run(() => socket.ReceiveLoopAsync(deliver, stop.Token));
            sockets[endpoint] = (socket, stop, loop);
            LogListening(logger, Describe(endpoint), socket.Descriptor);
        }
    }

    /// <summary>Sends <paramref name="message"/> from <paramref name="local"/>; false (and logged) when no socket has that address.</summary>
    public bool Send(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
    {
        var socket = Find(local);
        if (socket == null)
        {
            LogNoSocket(logger, Format(local), message.Length, Format(remote));
            return false;
        }
        try
        {
            socket.Send(remote, message);
            return true;
        }
        catch (SocketException e)
        {
            LogSendFailed(logger, Format(remote), Format(local), e.Message);
            return false;
        }
    }

    /// <summary>
    /// Sends a NAT-T keepalive from the NAT-T socket bound at <paramref name="local"/> (as <see cref="Send"/> finds it);
    /// false (and logged) when that is not a NAT-T socket: from any other it would keep the wrong NAT mapping alive.
    /// </summary>
    public bool SendNatKeepalive(IPEndPoint local, IPEndPoint remote)
    {
        var socket = Find(local);
        if (socket is not { Endpoint.NatTraversal: true })
        {
            LogNoNattSocket(logger, Format(local), Format(remote));
            return false;
        }
        try
        {
            socket.SendNatKeepalive(remote);
            return true;
        }
        catch (SocketException e)
        {
            LogSendFailed(logger, Format(remote), Format(local), e.Message);
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var endpoint in sockets.Keys.ToList())
            Close(endpoint);
    }

    /// <summary>
    /// The socket bound to the address and port; else the address's NAT-T socket for port 4500 and its ISAKMP socket for
    /// any other (the engine says 500 and 4500 when `-p` and `-P` moved them).
    /// </summary>
    private IkeSocket? Find(IPEndPoint local)
    {
        IkeSocket? isakmp = null, natt = null;
        foreach (var (endpoint, entry) in sockets)
        {
            if (!SameAddress(endpoint.EndPoint.Address, local.Address))
                continue;
            if (entry.Socket.BoundEndPoint.Port == local.Port)
                return entry.Socket;
            if (endpoint.NatTraversal)
                natt ??= entry.Socket;
            else
                isakmp ??= entry.Socket;
        }
        return local.Port == RfcNattPort ? natt : isakmp;
    }

    /// <summary>The NAT-T port of RFC 3947, which the engine floats to.</summary>
    private const int RfcNattPort = 4500;

    private static bool SameAddress(IPAddress bound, IPAddress wanted) =>
        bound.Equals(wanted) || (bound.IsIPv6LinkLocal && wanted.IsIPv6LinkLocal && bound.GetAddressBytes().AsSpan().SequenceEqual(wanted.GetAddressBytes()));

    private void Close(ListenEndpoint endpoint)
    {
        var (socket, stop, _) = sockets[endpoint];
        sockets.Remove(endpoint);
        stop.Cancel();
        socket.Dispose();
        stop.Dispose();
    }

    private static string Describe(ListenEndpoint endpoint) => $"{endpoint.EndPoint.Address}[{endpoint.EndPoint.Port}]";

    private static string Format(IPEndPoint endpoint) => $"{endpoint.Address}[{endpoint.Port}]";
}
