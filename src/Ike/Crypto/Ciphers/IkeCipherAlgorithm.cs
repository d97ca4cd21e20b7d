using System.Security.Cryptography;
using KernelIpsec.Ike.Wire;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;

namespace KernelIpsec.Ike.Crypto.Ciphers;

/// <summary>
/// An IKEv1 phase 1 encryption algorithm: block size, allowed key lengths, and a factory for a
/// keyed <see cref="IkeCipher"/>. Which library implements which (see each implementation's note):
/// AES, 3DES, DES from System.Security.Cryptography (OpenSSL, hardware AES: AES 2.4x faster than
/// BouncyCastle, 3DES about even); Blowfish, CAST-128, Camellia from BouncyCastle (absent from .NET).
/// </summary>
public sealed class IkeCipherAlgorithm
{
    public static readonly IkeCipherAlgorithm Des = new(EncryptionAlgorithm.DesCbc, "des", 8, 64, 64, 64, 0,
        (a, key) => new DotNetCbcCipher(a, DES.Create(), key));

    public static readonly IkeCipherAlgorithm TripleDes = new(EncryptionAlgorithm.TripleDesCbc, "3des", 8, 192, 192, 192, 0,
        (a, key) => new DotNetCbcCipher(a, TripleDES.Create(), key));

    /// <summary>RFC 2409: Blowfish keys of 40..448 bits, default 128.</summary>
    public static readonly IkeCipherAlgorithm Blowfish = new(EncryptionAlgorithm.BlowfishCbc, "blowfish", 8, 40, 448, 128, 8,
        (a, key) => new BouncyCastleCbcCipher(a, static () => new BlowfishEngine(), key));

    /// <summary>RFC 2144/2409: CAST-128 keys of 40..128 bits, default 128 (short keys run 12 rounds).</summary>
    public static readonly IkeCipherAlgorithm Cast128 = new(EncryptionAlgorithm.CastCbc, "cast128", 8, 40, 128, 128, 8,
        (a, key) => new BouncyCastleCbcCipher(a, static () => new Cast5Engine(), key));

    /// <summary>RFC 3602: 128, 192 or 256 bits; racoon uses 128 when the proposal has no Key Length.</summary>
    public static readonly IkeCipherAlgorithm Aes = new(EncryptionAlgorithm.AesCbc, "aes", 16, 128, 256, 128, 64,
        (a, key) => new DotNetCbcCipher(a, System.Security.Cryptography.Aes.Create(), key));

    /// <summary>RFC 4312: 128, 192 or 256 bits.</summary>
    public static readonly IkeCipherAlgorithm Camellia = new(EncryptionAlgorithm.CamelliaCbc, "camellia", 16, 128, 256, 128, 64,
        (a, key) => new BouncyCastleCbcCipher(a, static () => new CamelliaEngine(), key));

    private static readonly IkeCipherAlgorithm[] All = [Des, TripleDes, Blowfish, Cast128, Aes, Camellia];

    private readonly Func<IkeCipherAlgorithm, ReadOnlySpan<byte>, IkeCipher> create;

    private IkeCipherAlgorithm(EncryptionAlgorithm id, string name, int blockSize, int minKeyBits, int maxKeyBits, int defaultKeyBits,
        int keyBitsStep, Func<IkeCipherAlgorithm, ReadOnlySpan<byte>, IkeCipher> create)
    {
        Id = id;
        Name = name;
        BlockSize = blockSize;
        MinKeyBits = minKeyBits;
        MaxKeyBits = maxKeyBits;
        DefaultKeyBits = defaultKeyBits;
        KeyBitsStep = keyBitsStep;
        this.create = create;
    }

    public EncryptionAlgorithm Id { get; }

    /// <summary>The name racoon.conf uses (`encryption_algorithm 3des;`).</summary>
    public string Name { get; }

    /// <summary>Block size in bytes: also the IV length and the padding unit.</summary>
    public int BlockSize { get; }

    public int MinKeyBits { get; }

    public int MaxKeyBits { get; }

    /// <summary>The key length used when the proposal carries no Key Length attribute.</summary>
    public int DefaultKeyBits { get; }

    /// <summary>0 for fixed-length keys; otherwise the granularity of allowed key lengths.</summary>
    public int KeyBitsStep { get; }

    /// <summary>True when the proposal may (and for some peers must) carry a Key Length attribute.</summary>
    public bool HasVariableKeyLength => KeyBitsStep != 0;

    /// <summary>The algorithm for an Encryption Algorithm attribute value, or null (IDEA, RC5 and unknown values).</summary>
    public static IkeCipherAlgorithm? Find(EncryptionAlgorithm id)
    {
        foreach (var algorithm in All)
        {
            if (algorithm.Id == id)
                return algorithm;
        }
        return null;
    }

    /// <summary>The algorithm for a racoon.conf name (des, 3des, blowfish, cast128, aes, camellia), or null.</summary>
    public static IkeCipherAlgorithm? FindByName(string name)
    {
        foreach (var algorithm in All)
        {
            if (string.Equals(algorithm.Name, name, StringComparison.OrdinalIgnoreCase))
                return algorithm;
        }
        return null;
    }

    /// <summary>Whether a Key Length attribute value (bits; 0 = absent) is acceptable for this cipher.</summary>
    public bool IsValidKeyBits(int keyBits)
    {
        if (keyBits == 0)
            return true;
        if (keyBits < MinKeyBits || keyBits > MaxKeyBits)
            return false;
        if (KeyBitsStep == 0)
            return keyBits == DefaultKeyBits;
        return (keyBits - MinKeyBits) % KeyBitsStep == 0;
    }

    /// <summary>The key length in bytes for a Key Length attribute value (bits; 0 = absent, the default).</summary>
    /// <exception cref="IkeCryptoException">The length is not allowed for this cipher.</exception>
    public int KeyLengthBytes(int keyBits)
    {
        if (!IsValidKeyBits(keyBits))
        {
            string allowed = KeyBitsStep == 0
                ? $"{DefaultKeyBits}"
                : $"{MinKeyBits}..{MaxKeyBits} in steps of {KeyBitsStep}";
            throw new IkeCryptoException($"{Name}: key length {keyBits} bits is not allowed (allowed: {allowed})");
        }
        return (keyBits == 0 ? DefaultKeyBits : keyBits) / 8;
    }

    /// <summary>A cipher keyed with <paramref name="key"/> (e.g. the expanded SKEYID_e, <see cref="Derivation.Phase1Keys.EncryptionKey"/>).</summary>
    public IkeCipher Create(ReadOnlySpan<byte> key)
    {
        KeyLengthBytes(key.Length * 8);
        return create(this, key);
    }

    public override string ToString() => Name;
}
