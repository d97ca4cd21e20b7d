namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The kernel's answer to <see cref="AllocateSpi"/>: the reserved inbound SPI (for IPComp the CPI in the low
/// 16 bits), or null when the allocation failed (the exchange then fails).
/// </summary>
public sealed record SpiAllocation(long RequestId, uint? Spi, string? Error = null);
