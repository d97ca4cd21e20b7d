namespace KernelIpsec.Ike.Wire;

/// <summary>Exchange types of RFC 2408 §3.1 and the IPsec DOI (RFC 2407 §4.7, RFC 2409 §5.5, §9).</summary>
public enum ExchangeType : byte
{
    None = 0,
    Base = 1,

    /// <summary>Main mode (RFC 2409 §5).</summary>
    IdentityProtection = 2,
    AuthenticationOnly = 3,
    Aggressive = 4,
    Informational = 5,

    /// <summary>draft-dukes-ike-mode-cfg: mode-config and XAuth transactions.</summary>
    Transaction = 6,
    QuickMode = 32,
    NewGroupMode = 33,

    /// <summary>racoon's ISAKMP_ETYPE_ACKINFO.</summary>
    AcknowledgedInformational = 34,
}
