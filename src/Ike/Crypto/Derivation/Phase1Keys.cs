using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto.Hashes;

namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>
/// The keys of an ISAKMP SA derived from SKEYID (RFC 2409 section 5):
/// SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0),
/// SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1),
/// SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2),
/// and the encryption key Ka: the first bytes of SKEYID_e, or when SKEYID_e is too short, its
/// expansion of appendix B. Dispose clears all of them.
/// </summary>
public sealed class Phase1Keys : IDisposable
{
    private Phase1Keys(byte[] skeyidD, byte[] skeyidA, byte[] skeyidE, byte[] encryptionKey)
    {
        SkeyidD = skeyidD;
        SkeyidA = skeyidA;
        SkeyidE = skeyidE;
        EncryptionKey = encryptionKey;
    }

    /// <summary>Keys phase 2 material (KEYMAT) and rekeys.</summary>
    public byte[] SkeyidD { get; }

    /// <summary>Keys the phase 2 / informational HASH payloads.</summary>
    public byte[] SkeyidA { get; }

    public byte[] SkeyidE { get; }

    /// <summary>Ka, the ISAKMP SA's cipher key, exactly as long as the cipher needs.</summary>
    public byte[] EncryptionKey { get; }

    /// <param name="prf">The negotiated hash (its HMAC is the PRF).</param>
    /// <param name="skeyid">From <see cref="Skeyid"/>.</param>
    /// <param name="sharedSecret">g^xy (MODP: padded to the prime's length; ECP: x coordinate).</param>
    /// <param name="cookieI">CKY-I, 8 bytes as in the header.</param>
    /// <param name="cookieR">CKY-R, 8 bytes.</param>
    /// <param name="encryptionKeyLength">The cipher's key length in bytes (<see cref="Ciphers.IkeCipherAlgorithm.KeyLengthBytes"/>).</param>
    public static Phase1Keys Derive(IkeHashAlgorithm prf, ReadOnlySpan<byte> skeyid, ReadOnlySpan<byte> sharedSecret,
        ReadOnlySpan<byte> cookieI, ReadOnlySpan<byte> cookieR, int encryptionKeyLength)
    {
        Cookies.Check(cookieI, cookieR);
        if (encryptionKeyLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(encryptionKeyLength), encryptionKeyLength, "must be positive");
        using var keyed = prf.CreatePrf(skeyid);
        byte[] d = keyed.Append(sharedSecret).Append(cookieI).Append(cookieR).Append(0).Finish();
        byte[] a = keyed.Append(d).Append(sharedSecret).Append(cookieI).Append(cookieR).Append(1).Finish();
        byte[] e = keyed.Append(a).Append(sharedSecret).Append(cookieI).Append(cookieR).Append(2).Finish();
        return new Phase1Keys(d, a, e, ExpandEncryptionKey(prf, e, encryptionKeyLength));
    }

    /// <summary>
    /// RFC 2409 appendix B: if SKEYID_e is at least as long as the key, Ka is its first bytes;
    /// otherwise Ka = K1 | K2 | K3 ..., K1 = prf(SKEYID_e, 0) (one zero octet),
    /// K(n+1) = prf(SKEYID_e, Kn), truncated to the key length.
    /// </summary>
    public static byte[] ExpandEncryptionKey(IkeHashAlgorithm prf, ReadOnlySpan<byte> skeyidE, int keyLength)
    {
        var key = new byte[keyLength];
        if (skeyidE.Length >= keyLength)
        {
            skeyidE[..keyLength].CopyTo(key);
            return key;
        }

        using var keyed = prf.CreatePrf(skeyidE);
        Span<byte> block = stackalloc byte[prf.HashLength];
        keyed.Append(0).Finish(block);
        int written = 0;
        while (true)
        {
            int take = Math.Min(block.Length, keyLength - written);
            block[..take].CopyTo(key.AsSpan(written));
            written += take;
            if (written == keyLength)
                break;
            keyed.Append(block).Finish(block);
        }
        CryptographicOperations.ZeroMemory(block);
        return key;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(SkeyidD);
        CryptographicOperations.ZeroMemory(SkeyidA);
        CryptographicOperations.ZeroMemory(SkeyidE);
        CryptographicOperations.ZeroMemory(EncryptionKey);
    }
}
