using System.Globalization;
using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// One side of a phase-2 selector: what a quick mode ID payload (IDci/IDcr) carries.
/// <see cref="Protocol"/> 0 and <see cref="Port"/> 0 mean any.
/// </summary>
public sealed record TrafficSelector(IPNetwork Network, byte Protocol, ushort Port)
{
    public static TrafficSelector Host(IPAddress address, byte protocol = 0, ushort port = 0) =>
        new(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32), protocol, port);

    public bool IsHost => Network.PrefixLength == (Network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32);

    /// <summary><c>10.77.1.0/24[any] any</c>, as racoon prints a selector.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Network}[{(Port == 0 ? "any" : Port.ToString(CultureInfo.InvariantCulture))}] {(Protocol == 0 ? "any" : Protocol.ToString(CultureInfo.InvariantCulture))}");
}
