using KernelIpsec.Ike.Wire;
namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// A Diffie-Hellman group as IKEv1 uses it: the KE payload carries <see cref="PublicValueLength"/>
/// bytes (MODP: g^x mod p left-padded to the prime's length; ECP: x | y, RFC 5903 section 7), and
/// g^xy is <see cref="SharedSecretLength"/> bytes (MODP: padded to the prime's length, as racoon
/// and charon do; ECP: the x coordinate). Groups are immutable and thread-safe; key pairs are not.
/// </summary>
public abstract class DhGroup
{
    protected DhGroup(DhGroupId id, string name, int publicValueLength, int sharedSecretLength)
    {
        Id = id;
        Name = name;
        PublicValueLength = publicValueLength;
        SharedSecretLength = sharedSecretLength;
    }

    public DhGroupId Id { get; }

    /// <summary>The name racoon.conf uses (`dh_group modp2048;`), or ecp256/384/521.</summary>
    public string Name { get; }

    /// <summary>Length in bytes of a KE payload's key exchange data for this group.</summary>
    public int PublicValueLength { get; }

    /// <summary>Length in bytes of g^xy.</summary>
    public int SharedSecretLength { get; }

    /// <summary>A fresh private key and its public value.</summary>
    public abstract DhKeyPair GenerateKeyPair();

    /// <summary>Checks a peer's KE data; throws <see cref="DhPublicValueException"/> saying what is wrong.</summary>
    public abstract void ValidatePublicValue(ReadOnlySpan<byte> publicValue);

    public override string ToString() => Name;
}
