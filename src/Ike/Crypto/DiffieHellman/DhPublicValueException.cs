namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// A peer's Diffie-Hellman public value was refused (wrong length, outside 1 &lt; y &lt; p-1, not on
/// the curve). An exchange answers it with INVALID-KEY-INFORMATION (RFC 2408 section 3.14.1).
/// </summary>
public sealed class DhPublicValueException : IkeCryptoException
{
    public DhPublicValueException(DhGroup group, string problem)
        : base($"{group.Name}: peer's public value {problem}")
    {
        Group = group;
    }

    public DhGroup Group { get; }
}
