namespace KernelIpsec.Netlink.Model.Algorithms;

/// <summary>
/// Every IPsec algorithm the project knows, under setkey, kernel, PF_KEY and IKEv1 names. Key lengths are
/// what Linux accepts (setkey validates against the kernel's list, so these are the lengths users see).
/// </summary>
public static class AlgorithmRegistry
{
    private static readonly KeyLengths NoKey = KeyLengths.Exactly(0);
    private static readonly KeyLengths Aes = KeyLengths.Exactly(128, 192, 256);
    private static readonly KeyLengths AesPlusSalt32 = KeyLengths.Exactly(160, 224, 288);
    private static readonly KeyLengths AesPlusSalt24 = KeyLengths.Exactly(152, 216, 280);

    public static IReadOnlyList<IpsecAlgorithm> All { get; } =
    [
        // ESP ciphers: SADB ids from linux/pfkeyv2.h, IKE ids are ESP transform ids (IANA "IPsec ESP Transform Identifiers").
        new(AlgorithmKind.Encryption, "des-cbc", "cbc(des)", KeyLengths.Exactly(64), sadbId: 2, ikeId: 2),
        new(AlgorithmKind.Encryption, "3des-cbc", "cbc(des3_ede)", KeyLengths.Exactly(192), sadbId: 3, ikeId: 3),
        new(AlgorithmKind.Encryption, "cast128-cbc", "cbc(cast5)", KeyLengths.Range(40, 128, 8), sadbId: 6, ikeId: 6),
        new(AlgorithmKind.Encryption, "blowfish-cbc", "cbc(blowfish)", KeyLengths.Range(40, 448, 8), sadbId: 7, ikeId: 7),
        new(AlgorithmKind.Encryption, "null", "ecb(cipher_null)", NoKey, sadbId: 11, ikeId: 11),
        new(AlgorithmKind.Encryption, "aes-cbc", "cbc(aes)", Aes, sadbId: 12, ikeId: 12, aliases: ["rijndael-cbc"]),
        new(AlgorithmKind.Encryption, "aes-ctr", "rfc3686(ctr(aes))", AesPlusSalt32, sadbId: 13, ikeId: 13, saltBits: 32),
        new(AlgorithmKind.Encryption, "camellia-cbc", "cbc(camellia)", Aes, sadbId: 22, ikeId: 22),
        new(AlgorithmKind.Encryption, "serpent-cbc", "cbc(serpent)", Aes, sadbId: 252, ikeId: 252),
        new(AlgorithmKind.Encryption, "twofish-cbc", "cbc(twofish)", Aes, sadbId: 253, ikeId: 253),

        // AEAD: setkey 0.8.2 has no names for these; the names follow the IANA/strongSwan spelling.
        new(AlgorithmKind.Aead, "aes-ccm-8", "rfc4309(ccm(aes))", AesPlusSalt24, sadbId: 14, ikeId: 14, icvBits: 64, saltBits: 24),
        new(AlgorithmKind.Aead, "aes-ccm-12", "rfc4309(ccm(aes))", AesPlusSalt24, sadbId: 15, ikeId: 15, icvBits: 96, saltBits: 24),
        new(AlgorithmKind.Aead, "aes-ccm-16", "rfc4309(ccm(aes))", AesPlusSalt24, sadbId: 16, ikeId: 16, icvBits: 128, saltBits: 24),
        new(AlgorithmKind.Aead, "aes-gcm-8", "rfc4106(gcm(aes))", AesPlusSalt32, sadbId: 18, ikeId: 18, icvBits: 64, saltBits: 32),
        new(AlgorithmKind.Aead, "aes-gcm-12", "rfc4106(gcm(aes))", AesPlusSalt32, sadbId: 19, ikeId: 19, icvBits: 96, saltBits: 32),
        new(AlgorithmKind.Aead, "aes-gcm-16", "rfc4106(gcm(aes))", AesPlusSalt32, sadbId: 20, ikeId: 20, icvBits: 128, saltBits: 32),
        new(AlgorithmKind.Aead, "null-aes-gmac", "rfc4543(gcm(aes))", AesPlusSalt32, sadbId: 23, ikeId: 23, icvBits: 128, saltBits: 32),

        // Integrity: IKE ids are the phase 2 "Authentication Algorithm" attribute values; AH transform ids separately.
        new(AlgorithmKind.Authentication, "hmac-md5", "hmac(md5)", KeyLengths.Exactly(128), sadbId: 2, ikeId: 1, ikeAhTransformId: 2, icvBits: 96),
        new(AlgorithmKind.Authentication, "hmac-sha1", "hmac(sha1)", KeyLengths.Exactly(160), sadbId: 3, ikeId: 2, ikeAhTransformId: 3, icvBits: 96),
        new(AlgorithmKind.Authentication, "hmac-sha256", "hmac(sha256)", KeyLengths.Exactly(256), sadbId: 5, ikeId: 5, ikeAhTransformId: 5, icvBits: 128, pfKeyIcvBits: 96, aliases: ["hmac-sha2-256"]),
        new(AlgorithmKind.Authentication, "hmac-sha384", "hmac(sha384)", KeyLengths.Exactly(384), sadbId: 6, ikeId: 6, ikeAhTransformId: 6, icvBits: 192, aliases: ["hmac-sha2-384"]),
        new(AlgorithmKind.Authentication, "hmac-sha512", "hmac(sha512)", KeyLengths.Exactly(512), sadbId: 7, ikeId: 7, ikeAhTransformId: 7, icvBits: 256, aliases: ["hmac-sha2-512"]),
        new(AlgorithmKind.Authentication, "hmac-ripemd160", "hmac(rmd160)", KeyLengths.Exactly(160), sadbId: 8, ikeId: 8, ikeAhTransformId: 8, icvBits: 96),
        new(AlgorithmKind.Authentication, "aes-xcbc-mac", "xcbc(aes)", KeyLengths.Exactly(128), sadbId: 9, ikeId: 9, ikeAhTransformId: 9, icvBits: 96),
        new(AlgorithmKind.Authentication, "null", "digest_null", NoKey, sadbId: 251),

        // IPComp: SADB_X_CALG_* and IPCOMP transform ids coincide.
        new(AlgorithmKind.Compression, "deflate", "deflate", NoKey, sadbId: 2, ikeId: 2),
        new(AlgorithmKind.Compression, "lzs", "lzs", NoKey, sadbId: 3, ikeId: 3),
        new(AlgorithmKind.Compression, "lzjh", "lzjh", NoKey, sadbId: 4, ikeId: 4),
    ];

    /// <summary>Looks up a setkey name or alias (case-insensitive) of the given kind.</summary>
    public static IpsecAlgorithm? Find(AlgorithmKind kind, string name) =>
        All.FirstOrDefault(a => a.Kind == kind && (Same(a.Name, name) || a.Aliases.Any(alias => Same(alias, name))));

    /// <summary>Like <see cref="Find"/> but throws with the list of known names.</summary>
    public static IpsecAlgorithm Get(AlgorithmKind kind, string name) =>
        Find(kind, name) ?? throw new ArgumentException(
            $"unknown {Describe(kind)} algorithm '{name}' (known: {string.Join(", ", All.Where(a => a.Kind == kind).SelectMany(a => a.Aliases.Prepend(a.Name)))})");

    /// <summary>
    /// The algorithm for a kernel crypto name. For AEAD, <paramref name="icvBits"/> picks between the ICV
    /// variants that share one kernel name. An unknown name yields an "unknown" algorithm named after it, so
    /// dumps of SAs installed by other tools still read.
    /// </summary>
    public static IpsecAlgorithm FromKernelName(AlgorithmKind kind, string kernelName, int icvBits = 0)
    {
        var candidates = All.Where(a => a.Kind == kind && a.KernelName == kernelName).ToList();
        if (kind == AlgorithmKind.Aead)
            candidates = [.. candidates.Where(a => a.IcvBits == icvBits)];
        return candidates.FirstOrDefault() ?? new IpsecAlgorithm(kind, kernelName, kernelName, keyLengths: null, icvBits: icvBits);
    }

    /// <summary>The algorithm for a PF_KEY SADB id; AEAD ids live in the encryption number space.</summary>
    public static IpsecAlgorithm? FromSadbId(AlgorithmKind kind, int id)
    {
        var space = kind == AlgorithmKind.Aead ? AlgorithmKind.Encryption : kind;
        return All.FirstOrDefault(a => a.SadbId == id && (a.Kind == kind || (space == AlgorithmKind.Encryption && a.Kind is AlgorithmKind.Encryption or AlgorithmKind.Aead)));
    }

    /// <summary>
    /// The algorithm for an IKEv1 id: an ESP transform id (ciphers and AEAD), an authentication attribute
    /// value, or an IPCOMP transform id.
    /// </summary>
    public static IpsecAlgorithm? FromIkeId(AlgorithmKind kind, int id)
    {
        var cipher = kind is AlgorithmKind.Encryption or AlgorithmKind.Aead;
        return All.FirstOrDefault(a => a.IkeId == id && (cipher ? a.Kind is AlgorithmKind.Encryption or AlgorithmKind.Aead : a.Kind == kind));
    }

    /// <summary>The integrity algorithm for an IKEv1 AH transform id.</summary>
    public static IpsecAlgorithm? FromIkeAhTransformId(int id) =>
        All.FirstOrDefault(a => a.Kind == AlgorithmKind.Authentication && a.IkeAhTransformId == id);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Describe(AlgorithmKind kind) => kind switch
    {
        AlgorithmKind.Encryption => "encryption",
        AlgorithmKind.Authentication => "authentication",
        AlgorithmKind.Aead => "AEAD",
        _ => "compression",
    };
}
