using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto.Hashes;

namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>
/// SKEYID, the phase 1 root secret (RFC 2409 section 5). Ni_b and Nr_b are the bodies of the
/// nonce payloads (without their generic headers); the PRF is the HMAC of the negotiated hash.
/// </summary>
public static class Skeyid
{
    /// <summary>Pre-shared key authentication: SKEYID = prf(pre-shared-key, Ni_b | Nr_b).</summary>
    public static byte[] ForPreSharedKey(IkeHashAlgorithm prf, ReadOnlySpan<byte> preSharedKey, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR)
    {
        using var keyed = prf.CreatePrf(preSharedKey);
        return keyed.Append(nonceI).Append(nonceR).Finish();
    }

    /// <summary>Signature authentication (RSA, DSS, ECDSA): SKEYID = prf(Ni_b | Nr_b, g^xy).</summary>
    public static byte[] ForSignatures(IkeHashAlgorithm prf, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR, ReadOnlySpan<byte> sharedSecret)
    {
        byte[] key = Concat(nonceI, nonceR);
        try
        {
            var skeyid = new byte[prf.HashLength];
            prf.Prf(key, sharedSecret, skeyid);
            return skeyid;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Public key encryption authentication: SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R).</summary>
    public static byte[] ForPublicKeyEncryption(IkeHashAlgorithm prf, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR,
        ReadOnlySpan<byte> cookieI, ReadOnlySpan<byte> cookieR)
    {
        Cookies.Check(cookieI, cookieR);
        Span<byte> key = stackalloc byte[prf.HashLength];
        prf.Hash(nonceI, nonceR, key);
        using var keyed = prf.CreatePrf(key);
        CryptographicOperations.ZeroMemory(key);
        return keyed.Append(cookieI).Append(cookieR).Finish();
    }

    private static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        return result;
    }
}
