using System.Net;
using System.Net.Sockets;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// An address with a prefix length, as selectors carry them. The address is kept as given (the kernel
/// does not mask it either), so <c>10.1.2.3/24</c> reads back as written.
/// </summary>
public sealed record AddressPrefix
{
    public AddressPrefix(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new ArgumentException($"address {address}: only IPv4 and IPv6 are supported", nameof(address));
        var max = MaxPrefixLength(address.AddressFamily);
        if (prefixLength < 0 || prefixLength > max)
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"prefix length /{prefixLength} of {address} is out of range 0..{max}");
        Address = address;
        PrefixLength = prefixLength;
    }

    public IPAddress Address { get; }

    public int PrefixLength { get; }

    public AddressFamily Family => Address.AddressFamily;

    /// <summary>True when the prefix covers exactly one address (/32 or /128).</summary>
    public bool IsHost => PrefixLength == MaxPrefixLength(Family);

    /// <summary>A single address (/32 or /128).</summary>
    public static AddressPrefix Host(IPAddress address) => new(address, MaxPrefixLength(address.AddressFamily));

    /// <summary>The whole address space of a family (0.0.0.0/0 or ::/0).</summary>
    public static AddressPrefix Any(AddressFamily family) =>
        new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    /// <summary>Parses <c>address</c> or <c>address/length</c>.</summary>
    public static AddressPrefix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
            throw new FormatException($"'{text}' is not an IP address or prefix");
        if (slash < 0)
            return Host(address);
        if (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var length))
            throw new FormatException($"'{text}' has no valid prefix length after '/'");
        return new AddressPrefix(address, length);
    }

    public static int MaxPrefixLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 32,
        AddressFamily.InterNetworkV6 => 128,
        _ => throw new ArgumentException($"address family {family} is not IPv4 or IPv6", nameof(family)),
    };

    public override string ToString() => $"{Address}/{PrefixLength}";
}
