namespace KernelIpsec.Ike.Wire;

/// <summary>Domain of Interpretation values (RFC 2408 §3.4, RFC 2407 §4.2).</summary>
public enum Doi : uint
{
    /// <summary>Generic ISAKMP (used in some phase 1 Notification/Delete payloads).</summary>
    Isakmp = 0,
    Ipsec = 1,
}

/// <summary>IPsec DOI situation bits (RFC 2407 §4.2).</summary>
[Flags]
public enum Situation : uint
{
    IdentityOnly = 0x01,
    Secrecy = 0x02,
    Integrity = 0x04,
}
