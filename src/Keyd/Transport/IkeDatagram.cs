using System.Net;

namespace KernelIpsec.Keyd.Transport;

/// <summary>
/// One IKE message as it arrived: <see cref="Local"/> is the address it was sent to (from IP_PKTINFO) with
/// our port, <see cref="Message"/> the ISAKMP bytes (non-ESP marker already removed on the NAT-T port).
/// </summary>
public sealed record IkeDatagram(IPEndPoint Local, IPEndPoint Remote, byte[] Message, bool NatTraversalPort);
