using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto.Ciphers;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// What phase 1 derived from g^xy (RFC 2409 5): the negotiated hash and cipher, SKEYID and SKEYID_d/a/e, and the
/// first phase 1 IV. Made once, when the keys are derived, and never changed; the ISAKMP SA disposes of it.
/// </summary>
internal sealed class Phase1KeyMaterial : IDisposable
{
    private Phase1KeyMaterial(IkeHashAlgorithm hash, IkeCipherAlgorithm cipherAlgorithm, IkeCipher cipher, byte[] skeyid, Phase1Keys keys, byte[] initialIv)
    {
        Hash = hash;
        CipherAlgorithm = cipherAlgorithm;
        Cipher = cipher;
        Skeyid = skeyid;
        Keys = keys;
        InitialIv = initialIv;
    }

    public IkeHashAlgorithm Hash { get; }
    public IkeCipherAlgorithm CipherAlgorithm { get; }
    public IkeCipher Cipher { get; }
    public byte[] Skeyid { get; }
    public Phase1Keys Keys { get; }

    /// <summary>The first IV of phase 1: hash(g^xi | g^xr) cut to the block size (RFC 2409 appendix B).</summary>
    public byte[] InitialIv { get; }

    /// <summary>Derives SKEYID.. and the cipher from g^xy; the caller adopts the result only once everything else succeeded.</summary>
    public static Phase1KeyMaterial Derive(Phase1Offer chosen, byte[]? preSharedKey, byte[] nonceI, byte[] nonceR, byte[] sharedSecret,
        byte[] cookieI, byte[] cookieR, byte[] publicI, byte[] publicR)
    {
        var hash = IkeHashAlgorithm.Find(chosen.Hash)
            ?? throw ExchangeException.Abort($"hash algorithm {chosen.Hash} is not supported", NotifyType.AttributesNotSupported);
        var cipherAlgorithm = IkeCipherAlgorithm.Find(chosen.Encryption)
            ?? throw ExchangeException.Abort($"encryption algorithm {chosen.Encryption} is not supported", NotifyType.AttributesNotSupported);
        var skeyid = preSharedKey is not null
            ? Crypto.Derivation.Skeyid.ForPreSharedKey(hash, preSharedKey, nonceI, nonceR)
            : Crypto.Derivation.Skeyid.ForSignatures(hash, nonceI, nonceR, sharedSecret);
        var keys = Phase1Keys.Derive(hash, skeyid, sharedSecret, cookieI, cookieR, cipherAlgorithm.KeyLengthBytes(chosen.KeyBits));
        var cipher = cipherAlgorithm.Create(keys.EncryptionKey);
        var iv = IkeIv.Phase1(hash, publicI, publicR, cipherAlgorithm.BlockSize);
        return new Phase1KeyMaterial(hash, cipherAlgorithm, cipher, skeyid, keys, iv);
    }

    /// <summary>A PRF keyed with SKEYID (HASH_I/HASH_R).</summary>
    public IkePrf PrfSkeyid() => Hash.CreatePrf(Skeyid);

    /// <summary>A PRF keyed with SKEYID_a (phase 2 and informational HASH payloads).</summary>
    public IkePrf PrfA() => Hash.CreatePrf(Keys.SkeyidA);

    /// <summary>A PRF keyed with SKEYID_d (KEYMAT).</summary>
    public IkePrf PrfD() => Hash.CreatePrf(Keys.SkeyidD);

    public void Dispose()
    {
        Cipher.Dispose();
        Keys.Dispose();
        CryptographicOperations.ZeroMemory(Skeyid);
    }
}
