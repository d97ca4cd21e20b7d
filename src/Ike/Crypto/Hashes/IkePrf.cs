using System.Security.Cryptography;

namespace KernelIpsec.Ike.Crypto.Hashes;

/// <summary>
/// prf(key, ...) of RFC 2409: HMAC with the negotiated hash, keyed once. Feed the inputs with
/// <see cref="Append"/> (the RFC's "|" concatenation) and take the result with <see cref="Finish"/>,
/// which leaves the PRF keyed and empty for the next computation. Not thread-safe: one per SA.
/// </summary>
public sealed class IkePrf : IDisposable
{
    private readonly IncrementalHash hmac;

    internal IkePrf(IkeHashAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        Algorithm = algorithm;
        hmac = IncrementalHash.CreateHMAC(algorithm.DotNetName, key);
    }

    public IkeHashAlgorithm Algorithm { get; }

    /// <summary>Output length in bytes.</summary>
    public int Length => Algorithm.HashLength;

    public IkePrf Append(ReadOnlySpan<byte> data)
    {
        hmac.AppendData(data);
        return this;
    }

    public IkePrf Append(byte octet)
    {
        ReadOnlySpan<byte> one = [octet];
        hmac.AppendData(one);
        return this;
    }

    /// <summary>Appends a 32-bit value in network byte order (M-ID, SPI).</summary>
    public IkePrf AppendUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        hmac.AppendData(bytes);
        return this;
    }

    /// <summary>Writes the PRF output (<see cref="Length"/> bytes) and resets for the next input.</summary>
    public int Finish(Span<byte> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"prf output needs {Length} bytes, got {destination.Length}", nameof(destination));
        return hmac.GetHashAndReset(destination);
    }

    public byte[] Finish()
    {
        var result = new byte[Length];
        hmac.GetHashAndReset(result);
        return result;
    }

    public void Dispose() => hmac.Dispose();
}
