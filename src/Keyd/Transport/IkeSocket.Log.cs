using System.Net;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Transport;

// Source-generated log lines: the per-datagram one runs on every packet without a non-ESP marker.
public sealed partial class IkeSocket
{
    [LoggerMessage(Level = LogLevel.Error, Message = "failed to set the IPsec bypass policy on {Endpoint}: {Error}; IKE packets may be caught by the SPD")]
    private static partial void LogBypassFailed(ILogger logger, ListenEndpoint endpoint, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "setsockopt(UDP_ENCAP_ESPINUDP) on {Endpoint}: {Error}")]
    private static partial void LogUdpEncapsulationFailed(ILogger logger, ListenEndpoint endpoint, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "dropped a {Length}-byte datagram without non-ESP marker from {Remote} on {Endpoint}")]
    private static partial void LogNotIke(ILogger logger, int length, IPEndPoint remote, ListenEndpoint endpoint);
}
