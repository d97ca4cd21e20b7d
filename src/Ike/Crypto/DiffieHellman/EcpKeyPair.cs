using System.Security.Cryptography;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>Our ECDH key on an RFC 5903 curve; the public value is x | y.</summary>
internal sealed class EcpKeyPair : DhKeyPair
{
    private readonly EcpGroup group;
    private readonly ECDiffieHellman key;

    public EcpKeyPair(EcpGroup group, ECDiffieHellman key)
        : base(group, PublicValueOf(key, group.CoordinateLength))
    {
        this.group = group;
        this.key = key;
    }

    protected override void DeriveSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, Span<byte> secret)
    {
        using var peer = ECDiffieHellman.Create(group.PublicParameters(peerPublicValue));
        using var peerKey = peer.PublicKey;
        byte[] x;
        try
        {
            x = key.DeriveRawSecretAgreement(peerKey);
        }
        catch (CryptographicException e)
        {
            throw new DhPublicValueException(group, $"was refused by the platform's ECDH: {e.Message}");
        }
        try
        {
            // the platform returns the x coordinate at the field's length; pad defensively
            secret.Clear();
            x.CopyTo(secret[(secret.Length - x.Length)..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(x);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            key.Dispose();
    }

    private static byte[] PublicValueOf(ECDiffieHellman key, int coordinateLength)
    {
        var q = key.ExportParameters(false).Q;
        var value = new byte[2 * coordinateLength];
        q.X!.CopyTo(value, coordinateLength - q.X.Length);
        q.Y!.CopyTo(value, 2 * coordinateLength - q.Y.Length);
        return value;
    }
}
