using System.Text;
using KernelIpsec.Ike.Crypto;
using KernelIpsec.Ike.Crypto.Ciphers;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto;

[TestFixture, Category(Tier.Unit)]
public class CipherTests
{
    // Single-block known answers: CBC with a zero IV over one block is the raw block cipher.
    [TestCase("aes", "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a", TestName = "AES-128 FIPS 197 C.1")]
    [TestCase("aes", "000102030405060708090a0b0c0d0e0f1011121314151617", "00112233445566778899aabbccddeeff", "dda97ca4864cdfe06eaf70a0ec0d7191", TestName = "AES-192 FIPS 197 C.2")]
    [TestCase("aes", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089", TestName = "AES-256 FIPS 197 C.3")]
    [TestCase("3des", "0123456789abcdef23456789abcdef01456789abcdef0123", "5468652071756663", "a826fd8ce53b855f", TestName = "3DES SP 800-67 example block 1")]
    [TestCase("3des", "0123456789abcdef23456789abcdef01456789abcdef0123", "6b2062726f776e20", "cce21c8112256fe6", TestName = "3DES SP 800-67 example block 2")]
    [TestCase("blowfish", "0000000000000000", "0000000000000000", "4ef997456198dd78", TestName = "Blowfish Schneier vector 1")]
    [TestCase("blowfish", "ffffffffffffffff", "ffffffffffffffff", "51866fd5b85ecb8a", TestName = "Blowfish Schneier vector 2")]
    [TestCase("cast128", "0123456712345678234567893456789a", "0123456789abcdef", "238b4fe5847e44b2", TestName = "CAST-128 RFC 2144 B.1 128-bit")]
    [TestCase("cast128", "01234567123456782345", "0123456789abcdef", "eb6a711a2c02271b", TestName = "CAST-128 RFC 2144 B.1 80-bit")]
    [TestCase("cast128", "0123456712", "0123456789abcdef", "7ac816d16e9b302e", TestName = "CAST-128 RFC 2144 B.1 40-bit")]
    [TestCase("camellia", "0123456789abcdeffedcba9876543210", "0123456789abcdeffedcba9876543210", "67673138549669730857065648eabe43", TestName = "Camellia-128 RFC 3713")]
    [TestCase("camellia", "0123456789abcdeffedcba98765432100011223344556677", "0123456789abcdeffedcba9876543210", "b4993401b3e996f84ee5cee7d79b09b9", TestName = "Camellia-192 RFC 3713")]
    [TestCase("camellia", "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff", "0123456789abcdeffedcba9876543210", "9acc237dff16d76c20ef7c919e3a7509", TestName = "Camellia-256 RFC 3713")]
    public void Block_known_answer(string name, string key, string plaintext, string ciphertext)
    {
        var algorithm = IkeCipherAlgorithm.FindByName(name)!;
        using var cipher = algorithm.Create(Convert.FromHexString(key));
        var iv = new byte[algorithm.BlockSize];
        var output = new byte[plaintext.Length / 2];
        cipher.Encrypt(iv, Convert.FromHexString(plaintext), output);
        Assert.That(Convert.ToHexString(output), Is.EqualTo(ciphertext.ToUpperInvariant()));

        iv = new byte[algorithm.BlockSize];
        var back = new byte[output.Length];
        cipher.Decrypt(iv, output, back);
        Assert.That(Convert.ToHexString(back), Is.EqualTo(plaintext.ToUpperInvariant()));
    }

    [Test]
    public void Des_cbc_FIPS_81_example()
    {
        // FIPS 81 appendix C, table C1: "Now is the time for all " in CBC mode
        using var cipher = IkeCipherAlgorithm.Des.Create(Convert.FromHexString("0123456789abcdef"));
        var iv = Convert.FromHexString("1234567890abcdef");
        var output = new byte[24];
        cipher.Encrypt(iv, Encoding.ASCII.GetBytes("Now is the time for all "), output);
        Assert.That(Convert.ToHexString(output), Is.EqualTo("E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6"));
        Assert.That(Convert.ToHexString(iv), Is.EqualTo("683788499A7C05F6"), "IV out = last ciphertext block");
    }

    [Test]
    public void Blowfish_cbc_Eric_Young_vector()
    {
        using var cipher = IkeCipherAlgorithm.Blowfish.Create(Convert.FromHexString("0123456789ABCDEFF0E1D2C3B4A59687"));
        var iv = Convert.FromHexString("FEDCBA9876543210");
        var plaintext = Convert.FromHexString("37363534333231204E6F77206973207468652074696D6520666F722000000000");
        var output = new byte[32];
        cipher.Encrypt(iv, plaintext, output);
        Assert.That(Convert.ToHexString(output), Is.EqualTo("6B77B4D63006DEE605B156E27403979358DEB9E7154616D959F1652BD5FF92CC"));
    }

    private const string Sp80038aKey = "2b7e151628aed2a6abf7158809cf4f3c";
    private const string Sp80038aIv = "000102030405060708090a0b0c0d0e0f";
    private const string Sp80038aPlain =
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
    private const string Sp80038aCipher =
        "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7";

    [TestCase("aes")]
    public void Aes128_cbc_SP_800_38A_F_2_1_chained_over_two_messages(string name)
    {
        // IKEv1 chaining: encrypting in two calls with the IV passed along equals one CBC run.
        using var cipher = IkeCipherAlgorithm.Aes.Create(Convert.FromHexString(Sp80038aKey));
        var iv = Convert.FromHexString(Sp80038aIv);
        var plain = Convert.FromHexString(Sp80038aPlain);
        var output = new byte[64];
        cipher.Encrypt(iv, plain.AsSpan(0, 32), output.AsSpan(0, 32));
        cipher.Encrypt(iv, plain.AsSpan(32), output.AsSpan(32));
        Assert.That(Convert.ToHexString(output), Is.EqualTo(Sp80038aCipher.ToUpperInvariant()));

        // decrypt in place, again in two messages
        iv = Convert.FromHexString(Sp80038aIv);
        cipher.Decrypt(iv, output.AsSpan(0, 16), output.AsSpan(0, 16));
        cipher.Decrypt(iv, output.AsSpan(16), output.AsSpan(16));
        Assert.That(Convert.ToHexString(output), Is.EqualTo(Sp80038aPlain.ToUpperInvariant()));
        Assert.That(Convert.ToHexString(iv), Is.EqualTo("3FF1CAA1681FAC09120ECA307586E1A7"));
    }

    [TestCase("des", 8)]
    [TestCase("3des", 24)]
    [TestCase("blowfish", 16)]
    [TestCase("cast128", 16)]
    [TestCase("aes", 32)]
    [TestCase("camellia", 24)]
    public void In_place_round_trip_over_several_blocks(string name, int keyLength)
    {
        var algorithm = IkeCipherAlgorithm.FindByName(name)!;
        var key = new byte[keyLength];
        new Random(keyLength).NextBytes(key);
        using var cipher = algorithm.Create(key);
        var data = new byte[algorithm.BlockSize * 5];
        new Random(7).NextBytes(data);
        var original = (byte[])data.Clone();
        var iv = new byte[algorithm.BlockSize];
        cipher.Encrypt(iv, data, data);
        Assert.That(data, Is.Not.EqualTo(original));
        Assert.That(iv, Is.EqualTo(data[^algorithm.BlockSize..]));
        iv = new byte[algorithm.BlockSize];
        cipher.Decrypt(iv, data, data);
        Assert.That(data, Is.EqualTo(original));
    }

    [Test]
    public void Length_not_a_multiple_of_the_block_is_refused()
    {
        using var cipher = IkeCipherAlgorithm.TripleDes.Create(Convert.FromHexString("0123456789abcdef23456789abcdef01456789abcdef0123"));
        var e = Assert.Throws<IkeCryptoException>(() => cipher.Decrypt(new byte[8], new byte[20], new byte[20]));
        Assert.That(e!.Message, Is.EqualTo("3des: ciphertext length 20 is not a positive multiple of the block size 8"));
    }

    [Test]
    public void Weak_des_key_is_refused()
    {
        var e = Assert.Throws<IkeCryptoException>(() => IkeCipherAlgorithm.Des.Create(Convert.FromHexString("0101010101010101")));
        Assert.That(e!.Message, Does.StartWith("des: key rejected (weak or semi-weak key, RFC 2409 appendix B)"));
    }

    [TestCase("aes", 0, 16)]
    [TestCase("aes", 192, 24)]
    [TestCase("aes", 256, 32)]
    [TestCase("3des", 0, 24)]
    [TestCase("blowfish", 0, 16)]
    [TestCase("blowfish", 448, 56)]
    [TestCase("cast128", 40, 5)]
    [TestCase("camellia", 256, 32)]
    public void Key_length_attribute_to_bytes(string name, int keyBits, int bytes)
        => Assert.That(IkeCipherAlgorithm.FindByName(name)!.KeyLengthBytes(keyBits), Is.EqualTo(bytes));

    [TestCase("aes", 100, "aes: key length 100 bits is not allowed (allowed: 128..256 in steps of 64)")]
    [TestCase("3des", 128, "3des: key length 128 bits is not allowed (allowed: 192)")]
    [TestCase("cast128", 136, "cast128: key length 136 bits is not allowed (allowed: 40..128 in steps of 8)")]
    public void Bad_key_length_attribute_is_refused(string name, int keyBits, string message)
    {
        var e = Assert.Throws<IkeCryptoException>(() => IkeCipherAlgorithm.FindByName(name)!.KeyLengthBytes(keyBits));
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Lookup_by_attribute_value()
    {
        Assert.That(IkeCipherAlgorithm.Find(EncryptionAlgorithm.TripleDesCbc), Is.SameAs(IkeCipherAlgorithm.TripleDes));
        Assert.That(IkeCipherAlgorithm.Find(EncryptionAlgorithm.AesCbc)!.BlockSize, Is.EqualTo(16));
        Assert.That(IkeCipherAlgorithm.Find(EncryptionAlgorithm.IdeaCbc), Is.Null);
    }
}
