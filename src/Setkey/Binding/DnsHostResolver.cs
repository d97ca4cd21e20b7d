using System.Net;

namespace KernelIpsec.Setkey.Binding;

/// <summary>Name lookup through the system resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public IReadOnlyList<IPAddress> Resolve(string host) => Dns.GetHostAddresses(host);
}
