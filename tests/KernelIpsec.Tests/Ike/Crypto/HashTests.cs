using System.Text;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto;

[TestFixture, Category(Tier.Unit)]
public class HashTests
{
    [TestCase(HashAlgorithm.Md5, "900150983cd24fb0d6963f7d28e17f72", TestName = "MD5 RFC 1321 abc")]
    [TestCase(HashAlgorithm.Sha1, "a9993e364706816aba3e25717850c26c9cd0d89d", TestName = "SHA-1 FIPS 180-2 abc")]
    [TestCase(HashAlgorithm.Sha2_256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TestName = "SHA-256 FIPS 180-2 abc")]
    [TestCase(HashAlgorithm.Sha2_384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7", TestName = "SHA-384 FIPS 180-2 abc")]
    [TestCase(HashAlgorithm.Sha2_512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", TestName = "SHA-512 FIPS 180-2 abc")]
    public void Hash_known_answer(HashAlgorithm id, string digest)
    {
        var hash = IkeHashAlgorithm.Find(id)!;
        Assert.That(Convert.ToHexString(hash.Hash("abc"u8)), Is.EqualTo(digest.ToUpperInvariant()));
        Span<byte> split = stackalloc byte[hash.HashLength];
        hash.Hash("a"u8, "bc"u8, split);
        Assert.That(Convert.ToHexString(split), Is.EqualTo(digest.ToUpperInvariant()));
    }

    // RFC 2202 (HMAC-MD5, HMAC-SHA-1) and RFC 4231 (HMAC-SHA-2) test cases 1, 2 and 6 (key longer than the block)
    [TestCase(HashAlgorithm.Md5, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "9294727a3638bb1c13f48ef8158bfc9d", TestName = "HMAC-MD5 RFC 2202 case 1")]
    [TestCase(HashAlgorithm.Md5, "4a656665", "what do ya want for nothing?", "750c783e6ab0b503eaa86e310a5db738", TestName = "HMAC-MD5 RFC 2202 case 2")]
    [TestCase(HashAlgorithm.Sha1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00", TestName = "HMAC-SHA-1 RFC 2202 case 1")]
    [TestCase(HashAlgorithm.Sha1, "4a656665", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", TestName = "HMAC-SHA-1 RFC 2202 case 2")]
    [TestCase(HashAlgorithm.Sha2_256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", TestName = "HMAC-SHA-256 RFC 4231 case 1")]
    [TestCase(HashAlgorithm.Sha2_256, "4a656665", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestName = "HMAC-SHA-256 RFC 4231 case 2")]
    [TestCase(HashAlgorithm.Sha2_384, "4a656665", "what do ya want for nothing?", "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649", TestName = "HMAC-SHA-384 RFC 4231 case 2")]
    [TestCase(HashAlgorithm.Sha2_512, "4a656665", "what do ya want for nothing?", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737", TestName = "HMAC-SHA-512 RFC 4231 case 2")]
    public void Hmac_known_answer(HashAlgorithm id, string key, string data, string mac)
    {
        var hash = IkeHashAlgorithm.Find(id)!;
        var keyBytes = Convert.FromHexString(key);
        var dataBytes = Encoding.ASCII.GetBytes(data);
        var oneShot = new byte[hash.HashLength];
        hash.Prf(keyBytes, dataBytes, oneShot);
        Assert.That(Convert.ToHexString(oneShot), Is.EqualTo(mac.ToUpperInvariant()));

        // the keyed PRF gives the same answer, twice in a row (it resets after Finish)
        using var prf = hash.CreatePrf(keyBytes);
        for (int i = 0; i < 2; i++)
        {
            var result = prf.Append(dataBytes.AsSpan(0, 3)).Append(dataBytes.AsSpan(3)).Finish();
            Assert.That(Convert.ToHexString(result), Is.EqualTo(mac.ToUpperInvariant()));
        }
    }

    [Test]
    public void Hmac_with_a_key_longer_than_the_block_RFC_4231_case_6()
    {
        var key = Enumerable.Repeat((byte)0xaa, 131).ToArray();
        var data = Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First");
        var mac = new byte[32];
        IkeHashAlgorithm.Sha2_256.Prf(key, data, mac);
        Assert.That(Convert.ToHexString(mac), Is.EqualTo("60E431591EE0B67F0D8A26AACBF5B77F8E0BC6213728C5140546040F0EE37F54"));
    }

    [Test]
    public void Lookup()
    {
        Assert.That(IkeHashAlgorithm.Find(HashAlgorithm.Sha1), Is.SameAs(IkeHashAlgorithm.Sha1));
        Assert.That(IkeHashAlgorithm.FindByName("sha256")!.Id, Is.EqualTo(HashAlgorithm.Sha2_256));
        Assert.That(IkeHashAlgorithm.Find(HashAlgorithm.Tiger), Is.Null);
    }
}
