using Microsoft.Extensions.Logging;

namespace KernelIpsec.Netlink.Xfrm;

// Source-generated log lines: they run per kernel notification.
internal sealed partial class XfrmEventSubscription
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "XFRM events: {Reason}; resynchronising by dump")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "XFRM events: dropped message type {Type}: {Reason}")]
    private static partial void LogDropped(ILogger logger, ushort type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "XFRM events: dropped the rest of a datagram: {Reason}")]
    private static partial void LogDroppedRest(ILogger logger, string reason);
}
