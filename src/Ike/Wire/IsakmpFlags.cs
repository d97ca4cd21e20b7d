namespace KernelIpsec.Ike.Wire;

/// <summary>ISAKMP header flags (RFC 2408 §3.1).</summary>
[Flags]
public enum IsakmpFlags : byte
{
    None = 0,

    /// <summary>E: the payloads after the header are encrypted.</summary>
    Encryption = 0x01,

    /// <summary>C: the commit bit (RFC 2408 §3.1, RFC 2409 §5.5 CONNECTED).</summary>
    Commit = 0x02,

    /// <summary>A: authentication only (integrity of an Informational exchange, no encryption).</summary>
    AuthenticationOnly = 0x04,
}
