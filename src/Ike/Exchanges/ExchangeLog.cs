using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// The exchanges' log lines, source-generated (no formatting and no boxing unless the level is enabled): one per SA
/// established, per negotiation started, per notification received. The texts are racoon's.
/// </summary>
internal static partial class ExchangeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "received INITIAL-CONTACT from {Peer}")]
    public static partial void InitialContactReceived(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "received Vendor ID: DPD")]
    public static partial void DpdVendorIdReceived(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "ISAKMP-SA established {Local}-{Remote} spi:{Index}")]
    public static partial void IsakmpSaEstablished(ILogger logger, string local, string remote, string index);

    [LoggerMessage(Level = LogLevel.Information, Message = "received RESPONDER-LIFETIME: {Seconds} seconds{Kb}")]
    public static partial void ResponderLifetimeReceived(ILogger logger, uint seconds, string kb);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPsec-SA established: {Sa}")]
    public static partial void IPsecSAEstablished(ILogger logger, string sa);

    [LoggerMessage(Level = LogLevel.Information, Message = "initiate new phase 2 negotiation: {Local}<=>{Remote}")]
    public static partial void InitiateNewPhase2Negotiation(ILogger logger, string local, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "respond new phase 2 negotiation: {Local}<=>{Remote}")]
    public static partial void RespondNewPhase2Negotiation(ILogger logger, string local, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    public static partial void ErrorMessage(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "notification {Name} received in informational exchange.")]
    public static partial void ErrorNotificationReceived(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "notification message {Type}:{Name}, doi={Doi} proto_id={Protocol}.")]
    public static partial void NotificationReceived(ILogger logger, ushort type, string name, uint doi, byte protocol);
}
