using System.Net;

namespace KernelIpsec.Setkey.Binding;

/// <summary>Turns a host name into addresses (setkey uses getaddrinfo; numeric addresses never get here).</summary>
public interface IHostResolver
{
    /// <summary>The addresses of <paramref name="host"/>; throws <see cref="System.Net.Sockets.SocketException"/> when it has none.</summary>
    IReadOnlyList<IPAddress> Resolve(string host);
}
