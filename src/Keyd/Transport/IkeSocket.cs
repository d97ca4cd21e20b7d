using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Transport;

/// <summary>
/// One bound UDP socket for IKE: SO_REUSEADDR, packet info on (the arrival address per datagram), the
/// per-socket IPsec bypass in both directions, and on the NAT-T port UDP encapsulation so the kernel takes
/// the ESP packets and leaves IKE (with its non-ESP marker) to us; the kernel interface sets the last two.
/// </summary>
public sealed partial class IkeSocket : IDisposable
{
    private readonly Socket socket;
    private readonly ILogger logger;

    public ListenEndpoint Endpoint { get; }

    /// <summary>False when the bypass could not be set (no CAP_NET_ADMIN): IKE may then be caught by the SPD.</summary>
    public bool HasBypassPolicy { get; }

    private IkeSocket(Socket socket, ListenEndpoint endpoint, bool bypass, ILogger logger)
    {
        this.socket = socket;
        Endpoint = endpoint;
        HasBypassPolicy = bypass;
        this.logger = logger;
    }

    /// <summary>Opens and binds the socket; throws <see cref="SocketException"/> when the bind fails.</summary>
    public static IkeSocket Open(ListenEndpoint endpoint, IKernelSockets kernel, ILogger logger)
    {
        var family = endpoint.EndPoint.AddressFamily;
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (family == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
            }
            else
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            }
            var bypass = true;
            try
            {
                kernel.BypassSocket(socket);
            }
            catch (SocketException e)
            {
                bypass = false;
                LogBypassFailed(logger, endpoint, e.Message);
            }
            if (endpoint.NatTraversal)
            {
                try
                {
                    kernel.EnableUdpEncapsulation(socket);
                }
                catch (SocketException e)
                {
                    LogUdpEncapsulationFailed(logger, endpoint, e.Message);
                }
            }
            socket.Bind(endpoint.EndPoint);
            return new IkeSocket(socket, endpoint, bypass, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The file descriptor, for racoon's "used as isakmp port (fd=N)" line.</summary>
    public nint Descriptor => socket.Handle;

    /// <summary>The port the socket is bound to (differs from the requested one when that was 0).</summary>
    public IPEndPoint BoundEndPoint => (IPEndPoint)socket.LocalEndPoint!;

    /// <summary>Receives until <paramref name="cancellation"/> fires or the socket closes, handing each IKE message on.</summary>
    public async Task ReceiveLoopAsync(Func<IkeDatagram, ValueTask> deliver, CancellationToken cancellation)
    {
        var buffer = new byte[65536];
        EndPoint any = Endpoint.EndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        var localPort = BoundEndPoint.Port;
        while (!cancellation.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult result;
            try
            {
                result = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                // ICMP errors for earlier sends surface here; the retransmission logic copes.
                continue;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            var remote = (IPEndPoint)result.RemoteEndPoint;
            var arrival = result.PacketInformation.Address ?? Endpoint.EndPoint.Address;
            if (remote.AddressFamily == AddressFamily.InterNetworkV6 && arrival.IsIPv6LinkLocal && arrival.ScopeId == 0)
                arrival = new IPAddress(arrival.GetAddressBytes(), result.PacketInformation.Interface);
            var local = new IPEndPoint(arrival, localPort);
            ReadOnlyMemory<byte> payload = buffer.AsMemory(0, result.ReceivedBytes);
            if (Endpoint.NatTraversal)
            {
                switch (NonEspMarker.Classify(payload.Span))
                {
                    case NonEspMarker.Kind.Keepalive:
                        continue;
                    case NonEspMarker.Kind.NotIke:
                        LogNotIke(logger, result.ReceivedBytes, remote, Endpoint);
                        continue;
                }
                payload = NonEspMarker.Strip(payload);
            }
            await deliver(new IkeDatagram(local, remote, payload.ToArray(), Endpoint.NatTraversal)).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one IKE message to <paramref name="remote"/> (with the non-ESP marker on the NAT-T port).</summary>
    public void Send(IPEndPoint remote, ReadOnlySpan<byte> message)
    {
        if (Endpoint.NatTraversal)
            socket.SendTo(NonEspMarker.Prepend(message), SocketFlags.None, remote);
        else
            socket.SendTo(message, SocketFlags.None, remote);
    }

    /// <summary>Sends a NAT-T keepalive (RFC 3948 2.3): the single byte 0xFF, without the non-ESP marker.</summary>
    public void SendNatKeepalive(IPEndPoint remote) => socket.SendTo(NonEspMarker.Keepalive, SocketFlags.None, remote);

    public void Dispose() => socket.Dispose();
}
