using System.Security.Cryptography;

namespace KernelIpsec.Ike.Crypto.Hashes;

/// <summary>
/// A phase 1 hash algorithm and its HMAC, which IKEv1 uses as the PRF when no PRF attribute is
/// negotiated (RFC 2409 section 4; racoon and charon never negotiate one).
/// Implemented with System.Security.Cryptography: .NET has every one of these (OpenSSL-backed on
/// Linux) and its one-shot span APIs allocate nothing.
/// </summary>
public sealed class IkeHashAlgorithm
{
    public static readonly IkeHashAlgorithm Md5 = new(Wire.HashAlgorithm.Md5, "md5", HashAlgorithmName.MD5, 16, 64);
    public static readonly IkeHashAlgorithm Sha1 = new(Wire.HashAlgorithm.Sha1, "sha1", HashAlgorithmName.SHA1, 20, 64);
    public static readonly IkeHashAlgorithm Sha2_256 = new(Wire.HashAlgorithm.Sha2_256, "sha256", HashAlgorithmName.SHA256, 32, 64);
    public static readonly IkeHashAlgorithm Sha2_384 = new(Wire.HashAlgorithm.Sha2_384, "sha384", HashAlgorithmName.SHA384, 48, 128);
    public static readonly IkeHashAlgorithm Sha2_512 = new(Wire.HashAlgorithm.Sha2_512, "sha512", HashAlgorithmName.SHA512, 64, 128);

    private static readonly IkeHashAlgorithm[] All = [Md5, Sha1, Sha2_256, Sha2_384, Sha2_512];

    private IkeHashAlgorithm(Wire.HashAlgorithm id, string name, HashAlgorithmName dotNetName, int hashLength, int blockLength)
    {
        Id = id;
        Name = name;
        DotNetName = dotNetName;
        HashLength = hashLength;
        BlockLength = blockLength;
    }

    public Wire.HashAlgorithm Id { get; }

    /// <summary>The name racoon.conf uses (`hash_algorithm sha1;`).</summary>
    public string Name { get; }

    public HashAlgorithmName DotNetName { get; }

    /// <summary>Output length in bytes; also the PRF output length.</summary>
    public int HashLength { get; }

    /// <summary>The compression function's block length in bytes.</summary>
    public int BlockLength { get; }

    /// <summary>The algorithm for a phase 1 Hash Algorithm attribute value, or null if we do not implement it (Tiger).</summary>
    public static IkeHashAlgorithm? Find(Wire.HashAlgorithm id)
    {
        foreach (var algorithm in All)
        {
            if (algorithm.Id == id)
                return algorithm;
        }
        return null;
    }

    /// <summary>The algorithm for a racoon.conf name (md5, sha1, sha256, sha384, sha512), or null.</summary>
    public static IkeHashAlgorithm? FindByName(string name)
    {
        foreach (var algorithm in All)
        {
            if (string.Equals(algorithm.Name, name, StringComparison.OrdinalIgnoreCase))
                return algorithm;
        }
        return null;
    }

    /// <summary>hash(data) into destination (at least <see cref="HashLength"/> bytes); returns the length written.</summary>
    public int Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        CheckDestination(destination);
        return Id switch
        {
            Wire.HashAlgorithm.Md5 => MD5.HashData(data, destination),
            Wire.HashAlgorithm.Sha1 => SHA1.HashData(data, destination),
            Wire.HashAlgorithm.Sha2_256 => SHA256.HashData(data, destination),
            Wire.HashAlgorithm.Sha2_384 => SHA384.HashData(data, destination),
            _ => SHA512.HashData(data, destination),
        };
    }

    /// <summary>hash(first | second) without concatenating into a new array.</summary>
    public int Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        CheckDestination(destination);
        using var hash = IncrementalHash.CreateHash(DotNetName);
        hash.AppendData(first);
        hash.AppendData(second);
        return hash.GetHashAndReset(destination);
    }

    public byte[] Hash(ReadOnlySpan<byte> data)
    {
        var result = new byte[HashLength];
        Hash(data, result);
        return result;
    }

    /// <summary>One-shot HMAC: prf(key, data) into destination; returns the length written.</summary>
    public int Prf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        CheckDestination(destination);
        return Id switch
        {
            Wire.HashAlgorithm.Md5 => HMACMD5.HashData(key, data, destination),
            Wire.HashAlgorithm.Sha1 => HMACSHA1.HashData(key, data, destination),
            Wire.HashAlgorithm.Sha2_256 => HMACSHA256.HashData(key, data, destination),
            Wire.HashAlgorithm.Sha2_384 => HMACSHA384.HashData(key, data, destination),
            _ => HMACSHA512.HashData(key, data, destination),
        };
    }

    /// <summary>
    /// A keyed PRF for repeated use (SKEYID_a for every phase 2 HASH, SKEYID_d for every KEYMAT):
    /// the HMAC key schedule is computed once and each result resets it for the next message.
    /// </summary>
    public IkePrf CreatePrf(ReadOnlySpan<byte> key) => new(this, key);

    public override string ToString() => Name;

    private void CheckDestination(Span<byte> destination)
    {
        if (destination.Length < HashLength)
            throw new ArgumentException($"{Name} needs {HashLength} bytes of output space, got {destination.Length}", nameof(destination));
    }
}
