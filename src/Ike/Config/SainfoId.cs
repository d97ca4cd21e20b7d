using System.Net;
using System.Net.Sockets;

namespace KernelIpsec.Ike.Config;

/// <summary>
/// A phase 2 identity: what `sainfo address 10.0.0.0/24 any` means, and what the engine builds from a
/// peer's IDci/IDcr payload to select a sainfo. <see cref="Protocol"/> 0 = any upper-layer protocol,
/// <see cref="Port"/> 0 = any port.
/// </summary>
public sealed record SainfoId
{
    public required SainfoIdKind Kind { get; init; }
    /// <summary>The address (or the first address of a range); null for name ids.</summary>
    public IPAddress? Address { get; init; }
    /// <summary>Prefix length of a subnet (full length for a single address).</summary>
    public int PrefixLength { get; init; }
    /// <summary>Last address of a range.</summary>
    public IPAddress? RangeEnd { get; init; }
    /// <summary>Name of an fqdn/user_fqdn/keyid id.</summary>
    public string? Name { get; init; }
    public byte Protocol { get; init; }
    public ushort Port { get; init; }

    public static SainfoId ForAddress(IPAddress address, byte protocol = 0, ushort port = 0) =>
        new() { Kind = SainfoIdKind.Address, Address = address, PrefixLength = FullLength(address), Protocol = protocol, Port = port };

    public static SainfoId ForSubnet(IPAddress address, int prefixLength, byte protocol = 0, ushort port = 0) =>
        new() { Kind = SainfoIdKind.Subnet, Address = Mask(address, prefixLength), PrefixLength = prefixLength, Protocol = protocol, Port = port };

    public static int FullLength(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    /// <summary>True for an address id or a subnet id whose prefix covers the whole address (racoon treats them alike).</summary>
    public bool IsSingleAddress => Address is not null &&
        (Kind == SainfoIdKind.Address || (Kind == SainfoIdKind.Subnet && PrefixLength == FullLength(Address)));

    /// <summary>
    /// racoon's <c>ipsecdoi_chkcmpids</c> (non-exact): same kind (address and full-length subnet are
    /// interchangeable), same upper-layer protocol, equal data. Ports are not compared (as racoon).
    /// </summary>
    public bool MatchesConfigured(SainfoId configured)
    {
        if (Protocol != configured.Protocol)
            return false;
        if (IsSingleAddress && configured.IsSingleAddress)
            return Address!.Equals(configured.Address);
        if (Kind != configured.Kind)
            return false;
        return Kind switch
        {
            SainfoIdKind.Subnet => PrefixLength == configured.PrefixLength && Mask(Address!, PrefixLength).Equals(Mask(configured.Address!, PrefixLength)),
            SainfoIdKind.Range => Address!.Equals(configured.Address) && RangeEnd!.Equals(configured.RangeEnd),
            SainfoIdKind.Address => Address!.Equals(configured.Address),
            _ => string.Equals(Name, configured.Name, StringComparison.Ordinal),
        };
    }

    /// <summary>Zero the host bits of <paramref name="address"/> beyond <paramref name="prefixLength"/>.</summary>
    public static IPAddress Mask(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsHere = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - bitsHere));
        }
        return new IPAddress(bytes);
    }

    /// <summary>racoon.conf syntax: `address 10.0.0.1 any`, `subnet 10.0.0.0/24 [500] udp`, `fqdn "x"`.</summary>
    public override string ToString()
    {
        var proto = Protocol == 0 ? "any" : ProtocolName(Protocol);
        var port = Port == 0 ? "" : $" [{Port}]";
        return Kind switch
        {
            SainfoIdKind.Address => $"address {Address}{port} {proto}",
            SainfoIdKind.Subnet => $"subnet {Address}/{PrefixLength}{port} {proto}",
            SainfoIdKind.Range => $"address {Address}-{RangeEnd}{port} {proto}",
            SainfoIdKind.Fqdn => $"fqdn \"{Name}\"",
            SainfoIdKind.UserFqdn => $"user_fqdn \"{Name}\"",
            _ => $"keyid \"{Name}\"",
        };
    }

    public static string ProtocolName(byte protocol) => protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "icmp6",
        108 => "ipcomp",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
