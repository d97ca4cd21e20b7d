using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// The engine's log lines, source-generated (no formatting and no boxing unless the level is enabled): every
/// datagram, timer and SA event logs through these. The texts are racoon's, as a racoon user reads them.
/// </summary>
internal static partial class EngineLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more warnings about packets from {Source} were suppressed")]
    public static partial void SuppressedWarningsFrom(ILogger logger, int count, System.Net.IPAddress source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ignore the acquire because ph2 found")]
    public static partial void IgnoreTheAcquireBecausePh2Found(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Why}")]
    public static partial void ErrorWhy(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPsec-SA request for {Remote} queued due to no phase1 found.")]
    public static partial void AcquireQueued(ILogger logger, System.Net.IPAddress remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "ISAKMP-SA to {Remote} already exists or is being negotiated.")]
    public static partial void Phase1AlreadyExists(ILogger logger, System.Net.IPAddress remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "no configuration found for {Remote}.")]
    public static partial void NoConfigurationFoundFor(ILogger logger, System.Net.IPAddress remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "expire for an SA we do not know: {Protocol} spi={Spi}")]
    public static partial void ExpireForUnknownSa(ILogger logger, KernelIpsec.Ike.Sa.IpsecSaProtocol protocol, uint spi);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPsec-SA expired: {Sa}")]
    public static partial void IPsecSAExpired(ILogger logger, string sa);

    [LoggerMessage(Level = LogLevel.Error, Message = "invalid ISAKMP packet from {Remote}: {Error}")]
    public static partial void InvalidISAKMPPacketFrom(ILogger logger, string remote, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "packet length mismatch from {Remote}: header says {Declared}, received {Received} bytes")]
    public static partial void PacketLengthMismatchFromHeaderSays(ILogger logger, string remote, uint declared, int received);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the packet is retransmitted by {Remote} ({Times}).")]
    public static partial void ThePacketIsRetransmittedBy(ILogger logger, string remote, int times);

    [LoggerMessage(Level = LogLevel.Error, Message = "unsupported exchange {Exchange} from {Remote}")]
    public static partial void UnsupportedExchangeFrom(ILogger logger, byte exchange, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error while handling a packet from {Remote}, packet dropped: {Message}")]
    public static partial void InternalErrorWhileHandlingAPacket(ILogger logger, Exception exception, string remote, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "unknown ISAKMP-SA {Index} from {Remote}, packet ignored")]
    public static partial void UnknownISAKMPSAFromPacketIgnored(ILogger logger, string index, string remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ignore a phase 1 message for the established ISAKMP-SA {Index}")]
    public static partial void IgnoreAPhase1MessageFor(ILogger logger, string index);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    public static partial void ErrorMessage(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "phase1 negotiation failed.")]
    public static partial void Phase1NegotiationFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "respond new phase 1 negotiation: {Local}<=>{Remote}")]
    public static partial void RespondNewPhase1Negotiation(ILogger logger, string local, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "begin {Mode} mode.")]
    public static partial void BeginMode(ILogger logger, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignore unauthenticated informational from {Remote}: {Said}")]
    public static partial void IgnoreUnauthenticatedInformationalFrom(ILogger logger, string remote, string said);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Why} {Index}, informational packet from {Remote} ignored")]
    public static partial void InformationalPacketFromIgnored(ILogger logger, string why, string index, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "ISAKMP-SA deleted {Local}-{Remote} spi:{Index}")]
    public static partial void ISAKMPSADeletedSpi(ILogger logger, string local, string remote, string index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "delete for an unknown IPsec-SA proto_id={Protocol} spi={Spi}")]
    public static partial void DeleteForAnUnknownIPsecSA(ILogger logger, string protocol, uint spi);

    [LoggerMessage(Level = LogLevel.Information, Message = "purged IPsec-SA proto_id={Protocol} spi={Spi}.")]
    public static partial void PurgedIPsecSAProtoIdSpi(ILogger logger, string protocol, uint spi);

    [LoggerMessage(Level = LogLevel.Warning, Message = "base mode is not supported; initiating main mode with {Remote}")]
    public static partial void BaseModeIsNotSupportedInitiating(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "initiate new phase 1 negotiation: {Local}<=>{Remote}")]
    public static partial void InitiateNewPhase1Negotiation(ILogger logger, string local, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "phase2 negotiation failed due to time up waiting for phase1. {Sa}")]
    public static partial void Phase2TimeUpWaitingForPhase1(ILogger logger, string sa);

    [LoggerMessage(Level = LogLevel.Information, Message = "purged ISAKMP-SA spi={Index}.")]
    public static partial void PurgedISAKMPSASpi(ILogger logger, string index);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SPI allocation {Id} belongs to no running exchange")]
    public static partial void SpiAllocationUnclaimed(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Why} {Index}, quick mode packet from {Remote} ignored")]
    public static partial void QuickModePacketFromIgnored(ILogger logger, string why, string index, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "quick mode packet from {Remote} is not encrypted, ignored")]
    public static partial void QuickModeNotEncrypted(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignore a quick mode message with the finished message id {MessageId:x8} from {Remote} (replayed?)")]
    public static partial void QuickModeReplayed(ILogger logger, uint messageId, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "phase2 negotiation failed.")]
    public static partial void Phase2NegotiationFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    public static partial void ErrorReason(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "resend phase1 packet {Index}")]
    public static partial void ResendPhase1Packet(ILogger logger, string index);

    [LoggerMessage(Level = LogLevel.Information, Message = "ISAKMP-SA expired {Local}-{Remote} spi:{Index}")]
    public static partial void ISAKMPSAExpiredSpi(ILogger logger, string local, string remote, string index);

    [LoggerMessage(Level = LogLevel.Error, Message = "DPD: remote (ISAKMP-SA spi={Index}) seems to be dead.")]
    public static partial void DpdPeerDead(ILogger logger, string index);

    [LoggerMessage(Level = LogLevel.Debug, Message = "resend phase2 packet {Index}")]
    public static partial void ResendPhase2Packet(ILogger logger, string index);

    [LoggerMessage(Level = LogLevel.Debug, Message = "resend mode config packet {Index}")]
    public static partial void ResendTransactionPacket(ILogger logger, string index);

    [LoggerMessage(Level = LogLevel.Error, Message = "mode config packet ignored: {Why} ({Index} from {Remote}).")]
    public static partial void TransactionIgnored(ILogger logger, string why, string index, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "Attempt to start phase 2 whereas Xauth failed ({Remote}): quick mode ignored.")]
    public static partial void Phase2BeforeXauth(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released port {Port}")]
    public static partial void ReleasedPort(ILogger logger, int port);
}
