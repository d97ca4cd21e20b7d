using System.Net;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// Asks the kernel for a free SPI (setkey/racoon GETSPI, XFRM ALLOCSPI). The kernel creates a larval SA with
/// it that a later <c>UpdateSa</c> completes, or that expires on its own.
/// </summary>
/// <param name="Source">Peer address (the SA's source).</param>
/// <param name="Destination">Our address (the SA's destination).</param>
/// <param name="Protocol">ESP, AH or IPComp (IPComp CPIs are 16 bits).</param>
/// <param name="Range">Where to pick the SPI; null means <see cref="SpiRange.Default"/>.</param>
/// <param name="ReqId">Reqid of the larval SA.</param>
/// <param name="Mode">Mode of the larval SA.</param>
/// <param name="AcquireSequence">The ACQUIRE's sequence number, so the kernel reuses the SA it created for it.</param>
public sealed record SpiRequest(
    IPAddress Source,
    IPAddress Destination,
    IpsecProtocol Protocol,
    SpiRange? Range = null,
    uint ReqId = 0,
    IpsecMode Mode = IpsecMode.Transport,
    uint AcquireSequence = 0)
{
    public SpiRange EffectiveRange => Range ?? (Protocol == IpsecProtocol.IpComp ? new SpiRange(0x100, 0xffff) : SpiRange.Default);

    /// <summary>Checks families and, for IPComp, that the range fits 16 bits.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Source);
        ArgumentNullException.ThrowIfNull(Destination);
        _ = new SaId(Source, Destination, Protocol, 0);
        if (Protocol == IpsecProtocol.IpComp && EffectiveRange.Max > ushort.MaxValue)
            throw new ArgumentException($"IPComp CPI range {EffectiveRange} does not fit in 16 bits");
    }
}
