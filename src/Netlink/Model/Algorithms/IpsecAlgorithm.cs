namespace KernelIpsec.Netlink.Model.Algorithms;

/// <summary>
/// One IPsec algorithm under all the names it has: setkey's, the Linux crypto API's, PF_KEY's SADB id and
/// the IKEv1 identifiers. Instances come from <see cref="AlgorithmRegistry"/>; compare them by reference.
/// </summary>
public sealed class IpsecAlgorithm
{
    internal IpsecAlgorithm(
        AlgorithmKind kind,
        string name,
        string kernelName,
        KeyLengths? keyLengths,
        int? sadbId = null,
        int? ikeId = null,
        int? ikeAhTransformId = null,
        int icvBits = 0,
        int pfKeyIcvBits = -1,
        int saltBits = 0,
        string[]? aliases = null)
    {
        Kind = kind;
        Name = name;
        KernelName = kernelName;
        KeyLengths = keyLengths;
        SadbId = sadbId;
        IkeId = ikeId;
        IkeAhTransformId = ikeAhTransformId;
        IcvBits = icvBits;
        PfKeyIcvBits = pfKeyIcvBits < 0 ? icvBits : pfKeyIcvBits;
        SaltBits = saltBits;
        Aliases = aliases ?? [];
    }

    public AlgorithmKind Kind { get; }

    /// <summary>The name setkey prints in <c>-D</c> (e.g. <c>aes-cbc</c>), or the kernel name for algorithms setkey never named.</summary>
    public string Name { get; }

    /// <summary>Other names setkey accepts (e.g. <c>rijndael-cbc</c>, <c>hmac-sha2-256</c>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Linux crypto API name as XFRM takes it (<c>cbc(aes)</c>, <c>hmac(sha256)</c>, <c>rfc4106(gcm(aes))</c>).</summary>
    public string KernelName { get; }

    /// <summary>Allowed key lengths in bits (including any salt); null when unknown (an algorithm only the kernel knows).</summary>
    public KeyLengths? KeyLengths { get; }

    /// <summary>PF_KEY v2 id (<c>SADB_EALG_*</c>, <c>SADB_AALG_*</c>, <c>SADB_X_CALG_*</c>), if PF_KEY has one.</summary>
    public int? SadbId { get; }

    /// <summary>
    /// IKEv1 id: the ESP transform id (RFC 2407 §4.4.4) for ciphers, the "Authentication Algorithm" SA attribute
    /// (RFC 2407 §4.5) for integrity, the IPCOMP transform id (§4.4.5) for compression.
    /// </summary>
    public int? IkeId { get; }

    /// <summary>IKEv1 AH transform id (RFC 2407 §4.4.3) for integrity algorithms usable with AH.</summary>
    public int? IkeAhTransformId { get; }

    /// <summary>
    /// ICV length in bits: the truncation XFRM uses for integrity (RFC 4868: 128 for HMAC-SHA-256), or the ICV
    /// of an AEAD cipher. 0 for ciphers and compression.
    /// </summary>
    public int IcvBits { get; }

    /// <summary>The truncation Linux's PF_KEY applies (96 for HMAC-SHA-256, the pre-RFC 4868 draft value).</summary>
    public int PfKeyIcvBits { get; }

    /// <summary>Bits at the end of the key that are a nonce/salt, not cipher key (AES-CTR 32, GCM 32, CCM 24).</summary>
    public int SaltBits { get; }

    /// <summary>True for algorithms the kernel reported that the registry does not know.</summary>
    public bool IsUnknown => KeyLengths is null;

    /// <summary>Checks a key length; the message names the algorithm and the allowed lengths.</summary>
    public void ValidateKeyLength(int bits)
    {
        if (KeyLengths is { } lengths && !lengths.Allows(bits))
        {
            var allowed = lengths.Max == 0 ? "it takes no key" : $"allowed: {lengths} bits";
            throw new ArgumentException($"{Name}: a key of {bits} bits is not allowed ({allowed})");
        }
    }

    /// <summary>Two algorithms are the same when kind and name agree (unknown ones are named by their kernel name).</summary>
    public override bool Equals(object? obj) => obj is IpsecAlgorithm other && other.Kind == Kind && other.Name == Name;

    public override int GetHashCode() => HashCode.Combine(Kind, Name);

    public override string ToString() => Name;
}
