using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto;

/// <summary>
/// The RFC 2409 formulas written out independently with .NET's one-shot HMAC/hash, for the paths
/// the charon captures do not exercise (long-key expansion with MD5, KEYMAT beyond one PRF block,
/// public key encryption SKEYID, validation). CharonReplayTests covers the rest against charon.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class DerivationTests
{
    private static readonly byte[] CookieI = Convert.FromHexString("0102030405060708");
    private static readonly byte[] CookieR = Convert.FromHexString("1112131415161718");
    private static readonly byte[] NonceI = Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)).ToArray();
    private static readonly byte[] NonceR = Enumerable.Range(0, 20).Select(i => (byte)(0x30 + i)).ToArray();
    private static readonly byte[] SharedSecret = Enumerable.Range(0, 128).Select(i => (byte)(i * 7)).ToArray();

    private static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Test]
    public void Md5_prf_with_aes256_expands_SKEYID_e_as_appendix_B()
    {
        var skeyid = HMACMD5.HashData("psk"u8.ToArray(), Cat(NonceI, NonceR));
        var d = HMACMD5.HashData(skeyid, Cat(SharedSecret, CookieI, CookieR, [0]));
        var a = HMACMD5.HashData(skeyid, Cat(d, SharedSecret, CookieI, CookieR, [1]));
        var e = HMACMD5.HashData(skeyid, Cat(a, SharedSecret, CookieI, CookieR, [2]));
        var k1 = HMACMD5.HashData(e, new byte[] { 0 });
        var k2 = HMACMD5.HashData(e, k1);

        Assert.That(Skeyid.ForPreSharedKey(IkeHashAlgorithm.Md5, "psk"u8, NonceI, NonceR), Is.EqualTo(skeyid));
        using var keys = Phase1Keys.Derive(IkeHashAlgorithm.Md5, skeyid, SharedSecret, CookieI, CookieR, 32);
        Assert.That(keys.SkeyidD, Is.EqualTo(d));
        Assert.That(keys.SkeyidA, Is.EqualTo(a));
        Assert.That(keys.SkeyidE, Is.EqualTo(e));
        Assert.That(keys.EncryptionKey, Is.EqualTo(Cat(k1, k2)), "Ka = K1 | K2, 16 + 16 bytes");
    }

    [Test]
    public void Expansion_truncates_the_last_block_and_short_keys_take_a_prefix()
    {
        var e = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var k1 = HMACSHA1.HashData(e, new byte[] { 0 });
        var k2 = HMACSHA1.HashData(e, k1);
        Assert.That(Phase1Keys.ExpandEncryptionKey(IkeHashAlgorithm.Sha1, e, 24), Is.EqualTo(Cat(k1, k2[..4])));
        Assert.That(Phase1Keys.ExpandEncryptionKey(IkeHashAlgorithm.Sha1, e, 16), Is.EqualTo(e[..16]));
        Assert.That(Phase1Keys.ExpandEncryptionKey(IkeHashAlgorithm.Sha1, e, 20), Is.EqualTo(e));
    }

    [Test]
    public void Signature_and_public_key_encryption_SKEYID()
    {
        Assert.That(Skeyid.ForSignatures(IkeHashAlgorithm.Sha2_256, NonceI, NonceR, SharedSecret),
            Is.EqualTo(HMACSHA256.HashData(Cat(NonceI, NonceR), SharedSecret)));
        var key = SHA1.HashData(Cat(NonceI, NonceR));
        Assert.That(Skeyid.ForPublicKeyEncryption(IkeHashAlgorithm.Sha1, NonceI, NonceR, CookieI, CookieR),
            Is.EqualTo(HMACSHA1.HashData(key, Cat(CookieI, CookieR))));
    }

    [Test]
    public void Keymat_without_PFS_longer_than_one_prf_block()
    {
        // AES-256 + HMAC-SHA-256 keys: 64 bytes from SHA-1 = K1 | K2 | K3 | first 4 bytes of K4
        var skeyidD = Enumerable.Range(0, 20).Select(i => (byte)(0x55 ^ i)).ToArray();
        byte[] seed = Cat([3], [0xC5, 0xD0, 0xEB, 0xF3], NonceI, NonceR);
        var k1 = HMACSHA1.HashData(skeyidD, seed);
        var k2 = HMACSHA1.HashData(skeyidD, Cat(k1, seed));
        var k3 = HMACSHA1.HashData(skeyidD, Cat(k2, seed));
        var k4 = HMACSHA1.HashData(skeyidD, Cat(k3, seed));

        using var prf = IkeHashAlgorithm.Sha1.CreatePrf(skeyidD);
        var keymat = Keymat.Derive(prf, [], 3, 0xC5D0EBF3, NonceI, NonceR, 64);
        Assert.That(keymat, Is.EqualTo(Cat(k1, k2, k3, k4[..4])));
        // the keyed PRF is reusable: the same call again gives the same keys
        Assert.That(Keymat.Derive(prf, [], 3, 0xC5D0EBF3, NonceI, NonceR, 64), Is.EqualTo(keymat));
    }

    [Test]
    public void Keymat_with_PFS_puts_g_qm_xy_first()
    {
        var skeyidD = new byte[32];
        using var prf = IkeHashAlgorithm.Sha2_256.CreatePrf(skeyidD);
        var expected = HMACSHA256.HashData(skeyidD, Cat(SharedSecret, [2], [0, 0, 1, 0], NonceI, NonceR));
        Assert.That(Keymat.Derive(prf, SharedSecret, 2, 256, NonceI, NonceR, 20), Is.EqualTo(expected[..20]));
    }

    [Test]
    public void Phase2_hashes_and_IV()
    {
        var skeyidA = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        var after = Enumerable.Range(0, 50).Select(i => (byte)(200 - i)).ToArray();
        byte[] mid = [0xAE, 0x34, 0x5A, 0x58];
        using var prf = IkeHashAlgorithm.Sha1.CreatePrf(skeyidA);
        var hash = new byte[20];
        Phase2Hash.QuickModeHash1(prf, 0xAE345A58, after, hash);
        Assert.That(hash, Is.EqualTo(HMACSHA1.HashData(skeyidA, Cat(mid, after))));
        Phase2Hash.QuickModeHash2(prf, 0xAE345A58, NonceI, after, hash);
        Assert.That(hash, Is.EqualTo(HMACSHA1.HashData(skeyidA, Cat(mid, NonceI, after))));
        Phase2Hash.QuickModeHash3(prf, 0xAE345A58, NonceI, NonceR, hash);
        Assert.That(hash, Is.EqualTo(HMACSHA1.HashData(skeyidA, Cat([0], mid, NonceI, NonceR))));
        Phase2Hash.Informational(prf, 0xAE345A58, after, hash);
        Assert.That(hash, Is.EqualTo(HMACSHA1.HashData(skeyidA, Cat(mid, after))));

        var lastBlock = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        Assert.That(IkeIv.Phase2(IkeHashAlgorithm.Sha1, lastBlock, 0xAE345A58, 16),
            Is.EqualTo(SHA1.HashData(Cat(lastBlock, mid))[..16]));
    }

    [Test]
    public void Nat_discovery_hash_for_IPv6()
    {
        var address = System.Net.IPAddress.Parse("fd77::2");
        var expected = SHA256.HashData(Cat(CookieI, CookieR, address.GetAddressBytes(), [0x11, 0x94]));
        Assert.That(NatDiscoveryHash.Compute(IkeHashAlgorithm.Sha2_256, CookieI, CookieR, address, 4500), Is.EqualTo(expected));
    }

    [Test]
    public void Misuse_gets_clear_errors()
    {
        var e = Assert.Throws<IkeCryptoException>(() => IkeIv.Phase1(IkeHashAlgorithm.Md5, new byte[8], new byte[8], 32));
        Assert.That(e!.Message, Is.EqualTo("cipher block size 32 does not fit the md5 output (16 bytes)"));
        var a = Assert.Throws<ArgumentException>(() => IkeIv.Phase2(IkeHashAlgorithm.Sha1, new byte[8], 1, 16));
        Assert.That(a!.Message, Does.StartWith("the last phase 1 block must be 16 bytes, got 8"));
        var c = Assert.Throws<ArgumentException>(() => Phase1Keys.Derive(IkeHashAlgorithm.Sha1, new byte[20], SharedSecret, new byte[4], CookieR, 16));
        Assert.That(c!.Message, Does.StartWith("CKY-I must be 8 bytes, got 4"));
    }
}
