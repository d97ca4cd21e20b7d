using System.Numerics;
using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto;

[TestFixture, Category(Tier.Unit)]
public class ModpGroupTests
{
    private static readonly DhGroups Groups = DhGroups.CreateDefault();

    private static IEnumerable<DhGroupId> ModpIds =>
    [
        DhGroupId.Modp768, DhGroupId.Modp1024, DhGroupId.Modp1536, DhGroupId.Modp2048,
        DhGroupId.Modp3072, DhGroupId.Modp4096, DhGroupId.Modp6144, DhGroupId.Modp8192,
    ];

    [Test]
    public void Default_backend_is_libcrypto_on_this_system()
        => Assert.That(Groups.ModpBackend.Name, Is.EqualTo("libcrypto"));

    [TestCaseSource(nameof(ModpIds))]
    public void Key_pairs_agree_and_values_have_the_prime_length(DhGroupId id)
    {
        var group = (ModpGroup)Groups.Find(id)!;
        using var a = group.GenerateKeyPair();
        using var b = group.GenerateKeyPair();
        Assert.That(a.PublicValue.Length, Is.EqualTo(group.Prime.Length));
        var ab = a.DeriveSharedSecret(b.PublicValue.Span);
        Assert.That(ab, Has.Length.EqualTo(group.Prime.Length));
        Assert.That(b.DeriveSharedSecret(a.PublicValue.Span), Is.EqualTo(ab));
        Assert.That(ab, Is.Not.EqualTo(new byte[ab.Length]));
    }

    [TestCase(DhGroupId.Modp768)]
    [TestCase(DhGroupId.Modp2048)]
    [TestCase(DhGroupId.Modp4096)]
    public void Libcrypto_and_bouncycastle_agree_with_System_Numerics(DhGroupId id)
    {
        var prime = ((ModpGroup)Groups.Find(id)!).Prime.ToArray();
        var libcrypto = LibCryptoModularExponentiation.TryCreate()!.CreateModulus(prime);
        var bouncy = new BouncyCastleModularExponentiation().CreateModulus(prime);
        var p = new BigInteger(prime, isUnsigned: true, isBigEndian: true);
        for (int round = 0; round < 3; round++)
        {
            var value = RandomNumberGenerator.GetBytes(prime.Length);
            value[0] = (byte)(value[0] >> 1); // below p
            var exponent = RandomNumberGenerator.GetBytes(40);
            var expected = BigInteger.ModPow(new BigInteger(value, true, true), new BigInteger(exponent, true, true), p)
                .ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[prime.Length];
            expected.CopyTo(padded, prime.Length - expected.Length);

            var fromLibcrypto = new byte[prime.Length];
            libcrypto.ModPow(value, exponent, fromLibcrypto);
            var fromBouncy = new byte[prime.Length];
            bouncy.ModPow(value, exponent, fromBouncy);
            Assert.That(fromLibcrypto, Is.EqualTo(padded));
            Assert.That(fromBouncy, Is.EqualTo(padded));
        }
    }

    [Test]
    public void Small_results_are_left_padded()
    {
        // 2^3 mod p = 8: one significant byte, the rest must be zeros
        var prime = ((ModpGroup)Groups.Find(DhGroupId.Modp1024)!).Prime.ToArray();
        foreach (var backend in new IModularExponentiation[] { LibCryptoModularExponentiation.TryCreate()!, new BouncyCastleModularExponentiation() })
        {
            var result = new byte[prime.Length];
            result.AsSpan().Fill(0xAA);
            backend.CreateModulus(prime).ModPow([2], [3], result);
            Assert.That(result[..^1], Is.All.EqualTo(0), backend.Name);
            Assert.That(result[^1], Is.EqualTo(8), backend.Name);
        }
    }

    [Test]
    public void Bouncycastle_backend_groups_interoperate_with_libcrypto_groups()
    {
        var fallback = new DhGroups(new BouncyCastleModularExponentiation());
        using var a = fallback.Find(DhGroupId.Modp1536)!.GenerateKeyPair();
        using var b = Groups.Find(DhGroupId.Modp1536)!.GenerateKeyPair();
        Assert.That(a.DeriveSharedSecret(b.PublicValue.Span), Is.EqualTo(b.DeriveSharedSecret(a.PublicValue.Span)));
    }

    [Test]
    public void Degenerate_public_values_are_refused()
    {
        var group = (ModpGroup)Groups.Find(DhGroupId.Modp2048)!;
        var p = group.Prime.ToArray();
        var zero = new byte[256];
        var one = new byte[256];
        one[^1] = 1;
        var pMinusOne = (byte[])p.Clone();
        pMinusOne[^1]--;
        var allOnes = Enumerable.Repeat((byte)0xFF, 256).ToArray();

        using var ours = group.GenerateKeyPair();
        foreach (var (value, name) in new[] { (zero, "0"), (one, "1"), (pMinusOne, "p-1"), (p, "p"), (allOnes, "2^2048-1") })
        {
            var e = Assert.Throws<DhPublicValueException>(() => ours.DeriveSharedSecret(value), name);
            Assert.That(e!.Message, Is.EqualTo("modp2048: peer's public value is outside 1 < y < p-1"), name);
        }

        var two = new byte[256];
        two[^1] = 2;
        Assert.DoesNotThrow(() => group.ValidatePublicValue(two));
        var pMinusTwo = (byte[])p.Clone();
        pMinusTwo[^1] -= 2;
        Assert.DoesNotThrow(() => group.ValidatePublicValue(pMinusTwo));
    }

    [Test]
    public void Unpadded_public_value_is_refused_with_the_lengths()
    {
        var group = Groups.Find(DhGroupId.Modp1024)!;
        var e = Assert.Throws<DhPublicValueException>(() => group.ValidatePublicValue(new byte[127]));
        Assert.That(e!.Message, Is.EqualTo("modp1024: peer's public value is 127 bytes, must be 128 (the prime's length)"));
    }

    [Test]
    public void Lookup_by_number_and_racoon_name()
    {
        Assert.That(Groups.Find((DhGroupId)14)!.Name, Is.EqualTo("modp2048"));
        Assert.That(Groups.FindByName("modp1024")!.Id, Is.EqualTo(DhGroupId.Modp1024));
        Assert.That(Groups.FindByName("2")!.Id, Is.EqualTo(DhGroupId.Modp1024));
        Assert.That(Groups.FindByName("ecp384")!.Id, Is.EqualTo(DhGroupId.Ecp384));
        Assert.That(Groups.Find((DhGroupId)3), Is.Null, "EC2N group 3 is not implemented");
        Assert.That(Groups.FindByName("modp999"), Is.Null);
    }

    [Test]
    public void Private_exponent_sizes_follow_RFC_3526_strength_estimate_2()
    {
        int Bits(DhGroupId id) => ((ModpGroup)Groups.Find(id)!).ExponentBits;
        Assert.That(Bits(DhGroupId.Modp1536), Is.EqualTo(240));
        Assert.That(Bits(DhGroupId.Modp2048), Is.EqualTo(320));
        Assert.That(Bits(DhGroupId.Modp3072), Is.EqualTo(420));
        Assert.That(Bits(DhGroupId.Modp4096), Is.EqualTo(480));
        Assert.That(Bits(DhGroupId.Modp6144), Is.EqualTo(540));
        Assert.That(Bits(DhGroupId.Modp8192), Is.EqualTo(620));
    }
}
