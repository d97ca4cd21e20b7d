using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The kernel's ACQUIRE: an outbound policy needs SAs. <see cref="Local"/>/<see cref="Remote"/> are the
/// IKE peers (the tunnel endpoints, or the hosts in transport mode); <see cref="Sequence"/> lets the
/// daemon answer a failed negotiation with an ACQUIRE error to the kernel.
/// </summary>
public sealed record AcquireRequest(uint Sequence, IPAddress Local, IPAddress Remote, IpsecPolicy Policy);
