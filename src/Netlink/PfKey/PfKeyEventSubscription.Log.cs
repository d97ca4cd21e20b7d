using Microsoft.Extensions.Logging;

namespace KernelIpsec.Netlink.PfKey;

// Source-generated log lines: they run per kernel message.
internal sealed partial class PfKeyEventSubscription
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "PF_KEY events: dropped a message: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PF_KEY events: ACQUIRE seq {Seq}: cannot read policy {Index}: {Reason}")]
    private static partial void LogAcquirePolicyUnreadable(ILogger logger, uint seq, uint index, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PF_KEY events: dropped {Message}: {Reason}")]
    private static partial void LogDropped(ILogger logger, string message, string reason);
}
