using System.Security.Cryptography;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>Our MODP private exponent x and public value g^x mod p.</summary>
internal sealed class ModpKeyPair : DhKeyPair
{
    private readonly ModpGroup group;
    private readonly byte[] exponent;

    public ModpKeyPair(ModpGroup group, byte[] exponent, byte[] publicValue)
        : base(group, publicValue)
    {
        this.group = group;
        this.exponent = exponent;
    }

    protected override void DeriveSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, Span<byte> secret)
        => group.ModPow(peerPublicValue, exponent, secret);

    protected override void Dispose(bool disposing) => CryptographicOperations.ZeroMemory(exponent);
}
