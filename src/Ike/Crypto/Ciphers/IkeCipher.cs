namespace KernelIpsec.Ike.Crypto.Ciphers;

/// <summary>
/// A block cipher keyed for one ISAKMP SA, in CBC mode without padding (IKEv1 pads the
/// payload chain itself, RFC 2408 section 3.5 / RFC 2409 section 5.3).
/// IKEv1 chains IVs across messages: the IV of the next message is the last ciphertext block
/// of the previous one. So <paramref name="iv"/> is in/out: on return it holds the last
/// ciphertext block, ready for the next message of the same exchange.
/// Not thread-safe: one instance per SA (or per direction).
/// </summary>
public abstract class IkeCipher : IDisposable
{
    protected IkeCipher(IkeCipherAlgorithm algorithm, int keyLength)
    {
        Algorithm = algorithm;
        KeyLength = keyLength;
    }

    public IkeCipherAlgorithm Algorithm { get; }

    public int BlockSize => Algorithm.BlockSize;

    /// <summary>Key length in bytes.</summary>
    public int KeyLength { get; }

    /// <summary>CBC-encrypts <paramref name="plaintext"/> (a whole number of blocks) into <paramref name="ciphertext"/> (same length; may be the same memory).</summary>
    public void Encrypt(Span<byte> iv, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        Check(iv, plaintext, ciphertext, "plaintext");
        EncryptCore(iv, plaintext, ciphertext);
        ciphertext.Slice(ciphertext.Length - BlockSize, BlockSize).CopyTo(iv);
    }

    /// <summary>CBC-decrypts <paramref name="ciphertext"/> (a whole number of blocks) into <paramref name="plaintext"/> (same length; may be the same memory).</summary>
    public void Decrypt(Span<byte> iv, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Check(iv, ciphertext, plaintext, "ciphertext");
        // The next IV is the last ciphertext block; save it before an in-place decryption overwrites it.
        Span<byte> nextIv = stackalloc byte[BlockSize];
        ciphertext.Slice(ciphertext.Length - BlockSize).CopyTo(nextIv);
        DecryptCore(iv, ciphertext, plaintext);
        nextIv.CopyTo(iv);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void EncryptCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext);

    protected abstract void DecryptCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext);

    protected virtual void Dispose(bool disposing)
    {
    }

    private void Check(Span<byte> iv, ReadOnlySpan<byte> input, Span<byte> output, string what)
    {
        if (iv.Length != BlockSize)
            throw new ArgumentException($"{Algorithm.Name}: IV is {iv.Length} bytes, the block size is {BlockSize}", nameof(iv));
        if (input.Length == 0 || input.Length % BlockSize != 0)
            throw new IkeCryptoException($"{Algorithm.Name}: {what} length {input.Length} is not a positive multiple of the block size {BlockSize}");
        if (output.Length < input.Length)
            throw new ArgumentException($"{Algorithm.Name}: output is {output.Length} bytes, input is {input.Length}", nameof(output));
    }
}
