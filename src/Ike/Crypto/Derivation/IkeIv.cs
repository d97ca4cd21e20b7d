using System.Buffers.Binary;
using KernelIpsec.Ike.Crypto.Hashes;

namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>
/// The initial IVs of IKEv1 (RFC 2409 section 5.3 and appendix B). After the first message of an
/// exchange, the IV is the last ciphertext block of the previous message of the same exchange
/// (<see cref="Ciphers.IkeCipher"/> returns it through its in/out IV).
/// </summary>
public static class IkeIv
{
    /// <summary>Phase 1: IV = hash(g^xi | g^xr), truncated to the cipher's block size.</summary>
    public static byte[] Phase1(IkeHashAlgorithm hash, ReadOnlySpan<byte> publicValueI, ReadOnlySpan<byte> publicValueR, int blockSize)
    {
        CheckBlockSize(hash, blockSize);
        Span<byte> digest = stackalloc byte[hash.HashLength];
        hash.Hash(publicValueI, publicValueR, digest);
        return digest[..blockSize].ToArray();
    }

    /// <summary>
    /// Quick mode and informational exchanges: IV = hash(last phase 1 CBC output block | M-ID),
    /// truncated to the block size. The "last block" is the last ciphertext block of the final
    /// phase 1 message (main mode's 6th, aggressive mode's 3rd), M-ID in network byte order.
    /// </summary>
    public static byte[] Phase2(IkeHashAlgorithm hash, ReadOnlySpan<byte> lastPhase1Block, uint messageId, int blockSize)
    {
        CheckBlockSize(hash, blockSize);
        if (lastPhase1Block.Length != blockSize)
            throw new ArgumentException($"the last phase 1 block must be {blockSize} bytes, got {lastPhase1Block.Length}", nameof(lastPhase1Block));
        Span<byte> input = stackalloc byte[blockSize + 4];
        lastPhase1Block.CopyTo(input);
        BinaryPrimitives.WriteUInt32BigEndian(input[blockSize..], messageId);
        Span<byte> digest = stackalloc byte[hash.HashLength];
        hash.Hash(input, digest);
        return digest[..blockSize].ToArray();
    }

    private static void CheckBlockSize(IkeHashAlgorithm hash, int blockSize)
    {
        if (blockSize <= 0 || blockSize > hash.HashLength)
            throw new IkeCryptoException($"cipher block size {blockSize} does not fit the {hash.Name} output ({hash.HashLength} bytes)");
    }
}
