using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// ESP in UDP (RFC 3948) for an SA pair negotiated across a NAT: our UDP port and the peer's as the NAT shows it
/// (both usually 4500; the peer's is whatever its NAT mapped), and, in transport mode, the original addresses the
/// NAT-OA payloads carried (RFC 3947 5.2), which the kernel may use for checksum fix-ups.
/// Inbound SA (peer to us): source port <see cref="RemotePort"/>, destination port <see cref="LocalPort"/>;
/// outbound the reverse.
/// </summary>
public sealed record UdpEncapsulation(int LocalPort, int RemotePort, IPAddress? LocalOriginalAddress = null, IPAddress? RemoteOriginalAddress = null);
