using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// IKEv1 RSA signatures (RFC 2409 5.1): PKCS#1 v1.5 block type 1 over the bare HASH_I/HASH_R, without the
/// DigestInfo that RSA.SignHash would add (racoon <c>RSA_private_encrypt</c>, charon "RSA_EMSA_PKCS1_NULL").
/// .NET has no such primitive, so BouncyCastle's PKCS#1 encoding does the padding.
/// </summary>
internal static class RsaSignatures
{
    public static byte[] Sign(RSA key, ReadOnlySpan<byte> hash)
    {
        var p = key.ExportParameters(true);
        var bc = new RsaPrivateCrtKeyParameters(N(p.Modulus), N(p.Exponent), N(p.D), N(p.P), N(p.Q), N(p.DP), N(p.DQ), N(p.InverseQ));
        var engine = new Pkcs1Encoding(new RsaBlindedEngine());
        engine.Init(true, bc);
        var input = hash.ToArray();
        return engine.ProcessBlock(input, 0, input.Length);
    }

    public static bool Verify(RSA key, ReadOnlySpan<byte> hash, byte[] signature)
    {
        var p = key.ExportParameters(false);
        var engine = new Pkcs1Encoding(new RsaEngine());
        engine.Init(false, new RsaKeyParameters(false, N(p.Modulus), N(p.Exponent)));
        try
        {
            var recovered = engine.ProcessBlock(signature, 0, signature.Length);
            return CryptographicOperations.FixedTimeEquals(recovered, hash);
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
        {
            return false;
        }
        catch (Org.BouncyCastle.Crypto.DataLengthException)
        {
            return false;
        }
    }

    private static BigInteger N(byte[]? value) => new(1, value ?? throw new CryptographicException("incomplete RSA key"));
}
