using System.Text;
using KernelIpsec.Netlink.Model.Algorithms;

namespace KernelIpsec.Netlink.Model;

/// <summary>
/// An algorithm with its key, as one SA uses it. The key length is checked against the registry. The key is
/// never printed by <see cref="ToString"/>; compare two instances with ==, which compares the key bytes.
/// </summary>
public sealed record SaAlgorithm
{
    private readonly byte[] key;

    /// <param name="algorithm">From <see cref="AlgorithmRegistry"/>.</param>
    /// <param name="key">Key bytes (copied), including the salt for AES-CTR/GCM/CCM.</param>
    /// <param name="icvBits">ICV (truncation) length for integrity and AEAD; null takes the algorithm's XFRM default.</param>
    public SaAlgorithm(IpsecAlgorithm algorithm, ReadOnlySpan<byte> key, int? icvBits = null)
        : this(algorithm, key, icvBits, checkKeyLength: true)
    {
    }

    private SaAlgorithm(IpsecAlgorithm algorithm, ReadOnlySpan<byte> key, int? icvBits, bool checkKeyLength)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        if (checkKeyLength)
            algorithm.ValidateKeyLength(key.Length * 8);
        var icv = icvBits ?? algorithm.IcvBits;
        if (algorithm.Kind is AlgorithmKind.Encryption or AlgorithmKind.Compression && icv != 0)
            throw new ArgumentException($"{algorithm.Name}: a {algorithm.Kind.ToString().ToLowerInvariant()} algorithm has no ICV, got {icv} bits", nameof(icvBits));
        if (algorithm.Kind == AlgorithmKind.Authentication && icv % 8 != 0)
            throw new ArgumentException($"{algorithm.Name}: ICV truncation of {icv} bits is not a whole number of bytes", nameof(icvBits));
        if (icv < 0)
            throw new ArgumentException($"{algorithm.Name}: negative ICV length {icv}", nameof(icvBits));
        Algorithm = algorithm;
        this.key = key.ToArray();
        IcvBits = icv;
    }

    /// <summary>What a kernel reported: its key lengths are the kernel's business, so they are not re-checked.</summary>
    internal static SaAlgorithm FromKernel(IpsecAlgorithm algorithm, ReadOnlySpan<byte> key, int icvBits) =>
        new(algorithm, key, algorithm.Kind is AlgorithmKind.Authentication or AlgorithmKind.Aead ? icvBits : 0, checkKeyLength: false);

    public IpsecAlgorithm Algorithm { get; }

    public ReadOnlyMemory<byte> Key => key;

    public int KeyBits => key.Length * 8;

    public int IcvBits { get; }

    /// <summary>An algorithm that takes no key (null cipher, null auth, compression).</summary>
    public static SaAlgorithm WithoutKey(IpsecAlgorithm algorithm) => new(algorithm, []);

    public bool Equals(SaAlgorithm? other) =>
        other is not null && Algorithm.Equals(other.Algorithm) && IcvBits == other.IcvBits && key.AsSpan().SequenceEqual(other.key);

    public override int GetHashCode() => HashCode.Combine(Algorithm, IcvBits, key.Length);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Algorithm = {Algorithm.Name}, KeyBits = {KeyBits}, IcvBits = {IcvBits}");
        return true;
    }
}
