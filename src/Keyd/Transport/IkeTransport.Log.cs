using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Transport;

// Source-generated log lines: the send failures run per datagram.
public sealed partial class IkeTransport
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Endpoint} released.")]
    private static partial void LogReleased(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "failed to bind {Endpoint}: {Error}")]
    private static partial void LogBindFailed(ILogger logger, string endpoint, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Endpoint} used as isakmp port (fd={Descriptor})")]
    private static partial void LogListening(ILogger logger, string endpoint, nint descriptor);

    [LoggerMessage(Level = LogLevel.Error, Message = "no socket bound to {Local} to send {Length} bytes to {Remote}")]
    private static partial void LogNoSocket(ILogger logger, string local, int length, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "no NAT-T socket bound to {Local} to send a keepalive to {Remote}")]
    private static partial void LogNoNattSocket(ILogger logger, string local, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "sendto {Remote} from {Local} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string remote, string local, string error);
}
