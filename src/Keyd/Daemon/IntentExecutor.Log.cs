using System.Net;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

// Per-SA lines, source-generated: no boxing and no template parsing when the level is off.
public sealed partial class IntentExecutor
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "negotiation for {Remote} failed ({Reason}); kernel ACQUIRE {Sequence} left to expire")]
    private static partial void LogNegotiationFailed(ILogger logger, IPEndPoint remote, string reason, string sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error: the engine asked for {Intent}, which this daemon does not know")]
    private static partial void LogUnknownIntent(ILogger logger, string intent);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SPI {Spi} allocated for {Protocol} {Source}->{Destination}")]
    private static partial void LogSpiAllocated(ILogger logger, string spi, IpsecProtocol protocol, IPAddress source, IPAddress destination);

    [LoggerMessage(Level = LogLevel.Error, Message = "failed to get SPI for {Protocol} {Source}->{Destination}: {Error}")]
    private static partial void LogSpiFailed(ILogger logger, IpsecProtocol protocol, IPAddress source, IPAddress destination, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot install IPsec-SA {Sa}: {Error}")]
    private static partial void LogCannotInstall(ILogger logger, string sa, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PF_KEY installs {Algorithm} with a 96-bit ICV (pre-RFC 4868, as racoon did); peers using 128 bits (RFC 4868) drop this SA's packets. Use --kernel xfrm for 128 bits.")]
    private static partial void LogShortIcv(ILogger logger, string algorithm);

    [LoggerMessage(Level = LogLevel.Debug, Message = "inbound SA installed: {Sa}")]
    private static partial void LogInboundInstalled(ILogger logger, SaId sa);

    [LoggerMessage(Level = LogLevel.Debug, Message = "outbound SA installed: {Sa}")]
    private static partial void LogOutboundInstalled(ILogger logger, SaId sa);

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot update IPsec-SA {Sa}: {Error}")]
    private static partial void LogCannotUpdate(ILogger logger, string sa, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPsec-SA updated: {Sa} (UDP encapsulation {SourcePort}->{DestinationPort})")]
    private static partial void LogUpdated(ILogger logger, SaId sa, int sourcePort, int destinationPort);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Operation} failed for {Sa}: {Error}")]
    private static partial void LogInstallFailed(ILogger logger, string operation, SaId sa, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPsec-SA deleted: {Sa}")]
    private static partial void LogDeleted(ILogger logger, SaId sa);

    [LoggerMessage(Level = LogLevel.Debug, Message = "IPsec-SA {Sa} was already gone")]
    private static partial void LogAlreadyGone(ILogger logger, SaId sa);

    [LoggerMessage(Level = LogLevel.Error, Message = "failed to delete IPsec-SA {Sa}: {Error}")]
    private static partial void LogDeleteFailed(ILogger logger, SaId sa, string error);
}
