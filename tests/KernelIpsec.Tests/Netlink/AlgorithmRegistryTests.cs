using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink;

[TestFixture, Category(Tier.Unit)]
public class AlgorithmRegistryTests
{
    [TestCase(AlgorithmKind.Encryption, "rijndael-cbc", "aes-cbc", "cbc(aes)")]
    [TestCase(AlgorithmKind.Encryption, "aes-cbc", "aes-cbc", "cbc(aes)")]
    [TestCase(AlgorithmKind.Encryption, "3des-cbc", "3des-cbc", "cbc(des3_ede)")]
    [TestCase(AlgorithmKind.Encryption, "cast128-cbc", "cast128-cbc", "cbc(cast5)")]
    [TestCase(AlgorithmKind.Encryption, "aes-ctr", "aes-ctr", "rfc3686(ctr(aes))")]
    [TestCase(AlgorithmKind.Encryption, "null", "null", "ecb(cipher_null)")]
    [TestCase(AlgorithmKind.Authentication, "hmac-sha2-256", "hmac-sha256", "hmac(sha256)")]
    [TestCase(AlgorithmKind.Authentication, "HMAC-SHA1", "hmac-sha1", "hmac(sha1)")]
    [TestCase(AlgorithmKind.Authentication, "null", "null", "digest_null")]
    [TestCase(AlgorithmKind.Authentication, "hmac-ripemd160", "hmac-ripemd160", "hmac(rmd160)")]
    [TestCase(AlgorithmKind.Aead, "aes-gcm-16", "aes-gcm-16", "rfc4106(gcm(aes))")]
    [TestCase(AlgorithmKind.Compression, "deflate", "deflate", "deflate")]
    public void SetkeyNamesMapToCanonicalAndKernelNames(AlgorithmKind kind, string name, string canonical, string kernel)
    {
        var a = AlgorithmRegistry.Get(kind, name);
        Assert.That((a.Name, a.KernelName), Is.EqualTo((canonical, kernel)));
    }

    [TestCase("hmac-md5", 96, 96)]
    [TestCase("hmac-sha1", 96, 96)]
    [TestCase("hmac-sha256", 128, 96)]
    [TestCase("hmac-sha384", 192, 192)]
    [TestCase("hmac-sha512", 256, 256)]
    [TestCase("aes-xcbc-mac", 96, 96)]
    public void IntegrityTruncationDiffersBetweenXfrmAndPfKeyOnlyForSha256(string name, int xfrmBits, int pfkeyBits)
    {
        var a = AlgorithmRegistry.Get(AlgorithmKind.Authentication, name);
        Assert.That((a.IcvBits, a.PfKeyIcvBits), Is.EqualTo((xfrmBits, pfkeyBits)));
    }

    [Test]
    public void KeyLengthErrorNamesTheAllowedSizes()
    {
        var aes = AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc");
        var e = Assert.Throws<ArgumentException>(() => aes.ValidateKeyLength(136));
        Assert.That(e!.Message, Is.EqualTo("aes-cbc: a key of 136 bits is not allowed (allowed: 128, 192 or 256 bits)"));
    }

    [Test]
    public void RangeKeyLengthsAreDescribedAsARange()
    {
        var blowfish = AlgorithmRegistry.Get(AlgorithmKind.Encryption, "blowfish-cbc");
        Assert.That(() => blowfish.ValidateKeyLength(44), Throws.ArgumentException.With.Message.Contains("allowed: 40 to 448 in steps of 8 bits"));
        Assert.That(() => blowfish.ValidateKeyLength(448), Throws.Nothing);
    }

    [Test]
    public void NullCipherTakesNoKey()
    {
        var n = AlgorithmRegistry.Get(AlgorithmKind.Encryption, "null");
        Assert.That(() => n.ValidateKeyLength(64), Throws.ArgumentException.With.Message.EqualTo("null: a key of 64 bits is not allowed (it takes no key)"));
    }

    [Test]
    public void UnknownNameListsKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Get(AlgorithmKind.Encryption, "rot13"));
        Assert.That(e!.Message, Does.StartWith("unknown encryption algorithm 'rot13' (known: des-cbc, 3des-cbc,").And.Contain("rijndael-cbc"));
    }

    [TestCase(AlgorithmKind.Encryption, 12, "aes-cbc")]
    [TestCase(AlgorithmKind.Encryption, 20, "aes-gcm-16")]
    [TestCase(AlgorithmKind.Authentication, 5, "hmac-sha256")]
    [TestCase(AlgorithmKind.Authentication, 251, "null")]
    [TestCase(AlgorithmKind.Compression, 2, "deflate")]
    public void SadbIds(AlgorithmKind kind, int id, string name) =>
        Assert.That(AlgorithmRegistry.FromSadbId(kind, id)?.Name, Is.EqualTo(name));

    [TestCase(AlgorithmKind.Encryption, 3, "3des-cbc")]
    [TestCase(AlgorithmKind.Encryption, 18, "aes-gcm-8")]
    [TestCase(AlgorithmKind.Authentication, 1, "hmac-md5")]
    [TestCase(AlgorithmKind.Authentication, 2, "hmac-sha1")]
    [TestCase(AlgorithmKind.Authentication, 5, "hmac-sha256")]
    public void IkeIds(AlgorithmKind kind, int id, string name) =>
        Assert.That(AlgorithmRegistry.FromIkeId(kind, id)?.Name, Is.EqualTo(name));

    [Test]
    public void AhTransformIdsDifferFromAuthenticationAttributes() =>
        Assert.That(AlgorithmRegistry.FromIkeAhTransformId(3)?.Name, Is.EqualTo("hmac-sha1"));

    [TestCase(64, "aes-gcm-8")]
    [TestCase(96, "aes-gcm-12")]
    [TestCase(128, "aes-gcm-16")]
    public void KernelAeadNameIsDisambiguatedByIcv(int icv, string name) =>
        Assert.That(AlgorithmRegistry.FromKernelName(AlgorithmKind.Aead, "rfc4106(gcm(aes))", icv).Name, Is.EqualTo(name));

    [Test]
    public void UnknownKernelNameStillReads()
    {
        var a = AlgorithmRegistry.FromKernelName(AlgorithmKind.Encryption, "cbc(sm4)");
        Assert.That((a.Name, a.IsUnknown), Is.EqualTo(("cbc(sm4)", true)));
        Assert.That(() => a.ValidateKeyLength(128), Throws.Nothing);
    }

    [Test]
    public void EveryNameIsUniqueWithinItsKind()
    {
        var names = AlgorithmRegistry.All.SelectMany(a => a.Aliases.Prepend(a.Name).Select(n => (a.Kind, n))).ToList();
        Assert.That(names, Is.Unique);
    }
}
