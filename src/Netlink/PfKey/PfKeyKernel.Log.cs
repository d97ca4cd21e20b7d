using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Netlink.PfKey;

// Source-generated log lines: they run per SA and per message received.
public sealed partial class PfKeyKernel
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sa}: PF_KEY cannot choose the ICV length; Linux installs {Algorithm} with {Installed} bits, not the {Asked} asked for (use --kernel xfrm for {Asked})")]
    private static partial void LogIcvNotChosen(ILogger logger, SaId sa, string algorithm, int installed, int asked);

    [LoggerMessage(Level = LogLevel.Trace, Message = "PF_KEY: skipped {Message} seq {Seq} pid {Pid} while waiting for {Expected}")]
    private static partial void LogSkipped(ILogger logger, string message, uint seq, uint pid, string expected);
}
