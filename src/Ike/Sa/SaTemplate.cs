using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// One <c>esp/tunnel/A-B/require</c> element of a policy: which SA the kernel wants. Tunnel endpoints are
/// null in transport mode (then the SA runs between the IKE peers). <see cref="Reqid"/> 0 = none.
/// </summary>
public sealed record SaTemplate(IpsecSaProtocol Protocol, IpsecSaMode Mode, IPAddress? TunnelSource, IPAddress? TunnelDestination, uint Reqid);
