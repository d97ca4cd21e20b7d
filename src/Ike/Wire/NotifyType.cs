namespace KernelIpsec.Ike.Wire;

/// <summary>
/// Notify Message Types: errors 1-30 of RFC 2408 §3.14.1, status CONNECTED (RFC 2408),
/// the IPsec DOI status types of RFC 2407 §4.6.3 and the DPD types of RFC 3706 §5.
/// </summary>
public enum NotifyType : ushort
{
    InvalidPayloadType = 1,
    DoiNotSupported = 2,
    SituationNotSupported = 3,
    InvalidCookie = 4,
    InvalidMajorVersion = 5,
    InvalidMinorVersion = 6,
    InvalidExchangeType = 7,
    InvalidFlags = 8,
    InvalidMessageId = 9,
    InvalidProtocolId = 10,
    InvalidSpi = 11,
    InvalidTransformId = 12,
    AttributesNotSupported = 13,
    NoProposalChosen = 14,
    BadProposalSyntax = 15,
    PayloadMalformed = 16,
    InvalidKeyInformation = 17,
    InvalidIdInformation = 18,
    InvalidCertEncoding = 19,
    InvalidCertificate = 20,
    CertTypeUnsupported = 21,
    InvalidCertAuthority = 22,
    InvalidHashInformation = 23,
    AuthenticationFailed = 24,
    InvalidSignature = 25,
    AddressNotification = 26,
    NotifySaLifetime = 27,
    CertificateUnavailable = 28,
    UnsupportedExchangeType = 29,
    UnequalPayloadLengths = 30,

    /// <summary>RFC 2408 §3.14.1 status: the SA is established (commit bit acknowledgement).</summary>
    Connected = 16384,

    /// <summary>RFC 2407 §4.6.3.1: the responder's shorter SA lifetime.</summary>
    ResponderLifetime = 24576,

    /// <summary>RFC 2407 §4.6.3.2: whether the responder does replay detection.</summary>
    ReplayStatus = 24577,

    /// <summary>RFC 2407 §4.6.3.3: the sender has no prior SAs with the receiver.</summary>
    InitialContact = 24578,

    /// <summary>RFC 3706 §5: dead peer detection request (data: 4-byte sequence number).</summary>
    RUThere = 36136,

    /// <summary>RFC 3706 §5: dead peer detection answer (data: the request's sequence number).</summary>
    RUThereAck = 36137,
}

/// <summary>The RFC spellings of <see cref="NotifyType"/> for logs (racoon prints these names).</summary>
public static class NotifyNames
{
    public static string Name(NotifyType type) => type switch
    {
        NotifyType.InvalidPayloadType => "INVALID-PAYLOAD-TYPE",
        NotifyType.DoiNotSupported => "DOI-NOT-SUPPORTED",
        NotifyType.SituationNotSupported => "SITUATION-NOT-SUPPORTED",
        NotifyType.InvalidCookie => "INVALID-COOKIE",
        NotifyType.InvalidMajorVersion => "INVALID-MAJOR-VERSION",
        NotifyType.InvalidMinorVersion => "INVALID-MINOR-VERSION",
        NotifyType.InvalidExchangeType => "INVALID-EXCHANGE-TYPE",
        NotifyType.InvalidFlags => "INVALID-FLAGS",
        NotifyType.InvalidMessageId => "INVALID-MESSAGE-ID",
        NotifyType.InvalidProtocolId => "INVALID-PROTOCOL-ID",
        NotifyType.InvalidSpi => "INVALID-SPI",
        NotifyType.InvalidTransformId => "INVALID-TRANSFORM-ID",
        NotifyType.AttributesNotSupported => "ATTRIBUTES-NOT-SUPPORTED",
        NotifyType.NoProposalChosen => "NO-PROPOSAL-CHOSEN",
        NotifyType.BadProposalSyntax => "BAD-PROPOSAL-SYNTAX",
        NotifyType.PayloadMalformed => "PAYLOAD-MALFORMED",
        NotifyType.InvalidKeyInformation => "INVALID-KEY-INFORMATION",
        NotifyType.InvalidIdInformation => "INVALID-ID-INFORMATION",
        NotifyType.InvalidCertEncoding => "INVALID-CERT-ENCODING",
        NotifyType.InvalidCertificate => "INVALID-CERTIFICATE",
        NotifyType.CertTypeUnsupported => "CERT-TYPE-UNSUPPORTED",
        NotifyType.InvalidCertAuthority => "INVALID-CERT-AUTHORITY",
        NotifyType.InvalidHashInformation => "INVALID-HASH-INFORMATION",
        NotifyType.AuthenticationFailed => "AUTHENTICATION-FAILED",
        NotifyType.InvalidSignature => "INVALID-SIGNATURE",
        NotifyType.AddressNotification => "ADDRESS-NOTIFICATION",
        NotifyType.NotifySaLifetime => "NOTIFY-SA-LIFETIME",
        NotifyType.CertificateUnavailable => "CERTIFICATE-UNAVAILABLE",
        NotifyType.UnsupportedExchangeType => "UNSUPPORTED-EXCHANGE-TYPE",
        NotifyType.UnequalPayloadLengths => "UNEQUAL-PAYLOAD-LENGTHS",
        NotifyType.Connected => "CONNECTED",
        NotifyType.ResponderLifetime => "RESPONDER-LIFETIME",
        NotifyType.ReplayStatus => "REPLAY-STATUS",
        NotifyType.InitialContact => "INITIAL-CONTACT",
        NotifyType.RUThere => "R-U-THERE",
        NotifyType.RUThereAck => "R-U-THERE-ACK",
        _ => $"NOTIFY-{(ushort)type}",
    };

    /// <summary>RFC 2408 §3.14.1: types 1-16383 are errors, 16384 and above status.</summary>
    public static bool IsError(NotifyType type) => (ushort)type is > 0 and < 16384;
}
