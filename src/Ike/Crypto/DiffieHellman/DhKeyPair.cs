namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// Our side of one Diffie-Hellman exchange: a private key (never exposed) and the public value
/// for our KE payload. Dispose clears the private key.
/// </summary>
public abstract class DhKeyPair : IDisposable
{
    private bool disposed;

    protected DhKeyPair(DhGroup group, byte[] publicValue)
    {
        Group = group;
        PublicValue = publicValue;
    }

    public DhGroup Group { get; }

    /// <summary>Our KE payload data: g^x (MODP, padded) or x | y (ECP).</summary>
    public ReadOnlyMemory<byte> PublicValue { get; }

    /// <summary>
    /// g^xy from the peer's KE data, after validating it (<see cref="DhGroup.ValidatePublicValue"/>).
    /// The caller owns the returned secret and should clear it when done.
    /// </summary>
    /// <exception cref="DhPublicValueException">The peer's value is malformed or outside the group.</exception>
    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicValue)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Group.ValidatePublicValue(peerPublicValue);
        var secret = new byte[Group.SharedSecretLength];
        DeriveSharedSecretCore(peerPublicValue, secret);
        return secret;
    }

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes g^xy for an already validated peer value into <paramref name="secret"/> (SharedSecretLength bytes).</summary>
    protected abstract void DeriveSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, Span<byte> secret);

    protected abstract void Dispose(bool disposing);
}
