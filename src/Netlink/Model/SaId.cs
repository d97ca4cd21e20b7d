using System.Net;

namespace KernelIpsec.Netlink.Model;

/// <summary>What identifies an SA: the kernel keys SAs by (destination, SPI, protocol); the source narrows it.</summary>
public sealed record SaId
{
    public SaId(IPAddress source, IPAddress destination, IpsecProtocol protocol, uint spi)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.AddressFamily != destination.AddressFamily)
            throw new ArgumentException($"SA {source}->{destination}: source and destination are of different address families");
        _ = AddressPrefix.MaxPrefixLength(source.AddressFamily);
        if (!Enum.IsDefined(protocol))
            throw new ArgumentException($"SA protocol {(byte)protocol} is not esp, ah or ipcomp", nameof(protocol));
        if (protocol == IpsecProtocol.IpComp && spi > ushort.MaxValue)
            throw new ArgumentException($"IPComp CPI 0x{spi:x} does not fit in 16 bits", nameof(spi));
        Source = source;
        Destination = destination;
        Protocol = protocol;
        Spi = spi;
    }

    public IPAddress Source { get; }

    public IPAddress Destination { get; }

    public IpsecProtocol Protocol { get; }

    /// <summary>SPI in host order (the CPI for IPComp).</summary>
    public uint Spi { get; }

    /// <summary>"esp spi 0x100 10.0.0.1->10.0.0.2", the form used in error messages and logs.</summary>
    public override string ToString() => $"{Protocol.ToString().ToLowerInvariant()} spi 0x{Spi:x} {Source}->{Destination}";
}
