using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace KernelIpsec.Ike.Crypto.Ciphers;

/// <summary>
/// Blowfish, CAST-128 and Camellia through BouncyCastle's block engines: .NET has none of them.
/// CBC is done here over the raw engine (XOR and chain) so a message costs no allocations:
/// BouncyCastle's CbcBlockCipher would need a new ParametersWithIV per message. (BouncyCastle 2.7's
/// Camellia and CAST5 engines still allocate 30-60 bytes per block internally; Blowfish none.)
/// </summary>
internal sealed class BouncyCastleCbcCipher : IkeCipher
{
    private readonly IBlockCipher encryptor;
    private readonly IBlockCipher decryptor;

    public BouncyCastleCbcCipher(IkeCipherAlgorithm algorithm, Func<IBlockCipher> createEngine, ReadOnlySpan<byte> key)
        : base(algorithm, key.Length)
    {
        var parameters = new KeyParameter(key);
        encryptor = createEngine();
        encryptor.Init(true, parameters);
        decryptor = createEngine();
        decryptor.Init(false, parameters);
    }

    protected override void EncryptCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        int blockSize = BlockSize;
        Span<byte> block = stackalloc byte[blockSize];
        iv.CopyTo(block);
        for (int offset = 0; offset < plaintext.Length; offset += blockSize)
        {
            var input = plaintext.Slice(offset, blockSize);
            for (int i = 0; i < blockSize; i++)
                block[i] ^= input[i];
            encryptor.ProcessBlock(block, ciphertext.Slice(offset, blockSize));
            ciphertext.Slice(offset, blockSize).CopyTo(block);
        }
    }

    protected override void DecryptCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        int blockSize = BlockSize;
        Span<byte> previous = stackalloc byte[blockSize];
        Span<byte> current = stackalloc byte[blockSize];
        iv.CopyTo(previous);
        for (int offset = 0; offset < ciphertext.Length; offset += blockSize)
        {
            // copy first: plaintext may be the same memory as ciphertext
            ciphertext.Slice(offset, blockSize).CopyTo(current);
            var output = plaintext.Slice(offset, blockSize);
            decryptor.ProcessBlock(current, output);
            for (int i = 0; i < blockSize; i++)
                output[i] ^= previous[i];
            current.CopyTo(previous);
        }
    }
}
