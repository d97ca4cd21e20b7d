using Microsoft.Extensions.Logging;

namespace KernelIpsec.Netlink.Xfrm;

// Source-generated log lines.
public sealed partial class XfrmKernel
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Operation}: dump interrupted by a concurrent change, restarting")]
    private static partial void LogDumpRestarted(ILogger logger, string operation);
}
