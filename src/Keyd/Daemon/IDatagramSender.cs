using System.Net;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>Sends an IKE message from one of our sockets (the UDP transport, or a test double).</summary>
public interface IDatagramSender
{
    bool Send(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message);
}
