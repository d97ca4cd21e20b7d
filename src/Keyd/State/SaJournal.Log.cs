using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.State;

// Source-generated log lines: the journal is rewritten on every SA change.
public sealed partial class SaJournal
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "IPsec-SA {Sa} not saved to {File}: racoon's backup format has no field for its security context or algorithm")]
    private static partial void LogUnsavable(ILogger logger, SaId sa, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot write {File}: {Error}")]
    private static partial void LogCannotWrite(ILogger logger, string file, string error);
}
