using System.Security.Cryptography;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>Our MODP private exponent x and public value g^x mod p.</summary>
internal sealed class ModpKeyPair : DhKeyPair
{
    private readonly ModpGroup _group;
    private readonly byte[] _exponent;

    public ModpKeyPair(ModpGroup group, byte[] exponent, byte[] publicValue)
        : base(group, publicValue)
    {
        _group = group;
        _exponent = exponent;
    }

    protected override void DeriveSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, Span<byte> secret)
        => _group.ModPow(peerPublicValue, _exponent, secret);

    protected override void Dispose(bool disposing) => CryptographicOperations.ZeroMemory(_exponent);
}
