using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Transaction;

/// <summary>The Transaction exchange's log lines; the texts are racoon's (isakmp_xauth.c, isakmp_cfg.c) where racoon has one.</summary>
internal static partial class TransactionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sending Xauth request")]
    public static partial void SendingXauthRequest(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "login succeeded for user \"{User}\"")]
    public static partial void LoginSucceeded(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "login failed for user \"{User}\"")]
    public static partial void LoginFailed(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "Throttling in action for {Peer}: delay {Seconds}s")]
    public static partial void Throttling(ILogger logger, string peer, long seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "No more addresses available (pool_size {PoolSize}, all in use)")]
    public static partial void NoMoreAddresses(ILogger logger, int poolSize);

    [LoggerMessage(Level = LogLevel.Error, Message = "Port pool depleted")]
    public static partial void PortPoolDepleted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using port {Port}")]
    public static partial void UsingPort(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released port {Port}")]
    public static partial void ReleasedPort(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored attribute {Type}")]
    public static partial void IgnoredAttribute(ILogger logger, string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "Xauth authentication succeeded")]
    public static partial void XauthClientSucceeded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Xauth authentication failed")]
    public static partial void XauthClientFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason} for user \"{User}\"")]
    public static partial void LoginRefused(ILogger logger, string reason, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mode Config: {Address} handed to {User} at {Peer}")]
    public static partial void AddressHandedOut(ILogger logger, string address, string user, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mode Config: received {Attributes}")]
    public static partial void ConfigurationReceived(ILogger logger, string attributes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Xauth message from the server: {Text}")]
    public static partial void ServerMessage(ILogger logger, string text);
}
