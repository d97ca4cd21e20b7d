using System.Net;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>Sends from one of our sockets (the UDP transport, or a test double).</summary>
public interface IDatagramSender
{
    /// <summary>An IKE message (the NAT-T port's socket puts the non-ESP marker in front).</summary>
    bool Send(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message);

    /// <summary>A NAT-T keepalive (RFC 3948 2.3): the one byte 0xFF, no marker, from the NAT-T socket bound at <paramref name="local"/>.</summary>
    bool SendNatKeepalive(IPEndPoint local, IPEndPoint remote);
}
