using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>The kernel's EXPIRE for an SA: soft (rekey time) or hard (gone).</summary>
public sealed record ExpireEvent(IpsecSaProtocol Protocol, uint Spi, IPAddress Destination, bool Hard);
