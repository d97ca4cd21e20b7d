using System.Security.Cryptography;

namespace KernelIpsec.Ike.Crypto;

/// <summary>
/// A cryptographic operation refused its input: a length that is not a whole number of cipher
/// blocks, a weak key, an unsupported key length. The message says what and why; it never
/// contains key material.
/// </summary>
public class IkeCryptoException : CryptographicException
{
    public IkeCryptoException(string message)
        : base(message)
    {
    }

    public IkeCryptoException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
