using System.Net.Sockets;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// Which packets a policy (or an SA's inner traffic) matches: source and destination prefixes, upper-layer
/// protocol and ports. A port of 0 means any. For ICMP/ICMPv6/MH the kernel matches the type in
/// <see cref="SourcePort"/> and the code in <see cref="DestinationPort"/>, which is how setkey writes
/// <c>icmp6 135,0</c>; for GRE the key is split across both.
/// </summary>
public sealed record Selector
{
    public Selector(AddressPrefix source, AddressPrefix destination, byte? upperProtocol = null, ushort sourcePort = 0, ushort destinationPort = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Family != destination.Family)
            throw new ArgumentException($"selector {source} -> {destination}: source and destination are of different address families");
        Source = source;
        Destination = destination;
        UpperProtocol = upperProtocol;
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
    }

    public AddressPrefix Source { get; }

    public AddressPrefix Destination { get; }

    /// <summary>IP protocol number, or null for any (XFRM 0, PF_KEY 255).</summary>
    public byte? UpperProtocol { get; }

    public ushort SourcePort { get; }

    public ushort DestinationPort { get; }

    public AddressFamily Family => Source.Family;

    /// <summary>Matches everything of one family (what the kernel reports for an SA without a selector).</summary>
    public static Selector Any(AddressFamily family) => new(AddressPrefix.Any(family), AddressPrefix.Any(family));

    public override string ToString()
    {
        var proto = UpperProtocol is { } p ? $" proto {p}" : "";
        var sport = SourcePort != 0 ? $" sport {SourcePort}" : "";
        var dport = DestinationPort != 0 ? $" dport {DestinationPort}" : "";
        return $"src {Source} dst {Destination}{proto}{sport}{dport}";
    }
}
