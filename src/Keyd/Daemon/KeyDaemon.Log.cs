using System.Net;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

// Per-packet and per-SA lines, source-generated: no boxing and no template parsing when the level is off.
public sealed partial class KeyDaemon
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Length} bytes message received from {Remote} to {Local}\n{Dump}")]
    private static partial void LogReceived(ILogger logger, int length, IPEndPoint remote, IPEndPoint local, string dump);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Length} bytes message will be sent to {Remote} from {Local}\n{Dump}")]
    private static partial void LogSending(ILogger logger, int length, IPEndPoint remote, IPEndPoint local, string dump);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ACQUIRE {Sequence} for {Source}->{Destination} ({Protocol})")]
    private static partial void LogAcquire(ILogger logger, uint sequence, IPAddress source, IPAddress destination, IpsecProtocol protocol);

    [LoggerMessage(Level = LogLevel.Debug, Message = "hard expire for {Sa}, which the kernel still holds: stale (its larval state), ignored")]
    private static partial void LogStaleExpire(ILogger logger, SaId sa);

    [LoggerMessage(Level = LogLevel.Error, Message = "illegal format line#{Line} in {File}: {Problem}")]
    private static partial void LogBackupLineIllegal(ILogger logger, int line, string file, string? problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ignore this line#{Line} in {File} due to expiration")]
    private static partial void LogBackupLineExpired(ILogger logger, int line, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPsec-SA restored: {Sa} ({Seconds} s left)")]
    private static partial void LogRestored(ILogger logger, SaId sa, ulong seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "restore SA failed line#{Line} in {File}: {Error}")]
    private static partial void LogRestoreFailed(ILogger logger, int line, string file, string error);
}
