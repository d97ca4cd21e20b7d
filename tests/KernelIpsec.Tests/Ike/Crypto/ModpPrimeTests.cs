using System.Numerics;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto;

/// <summary>
/// The MODP primes recomputed from their definition, p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) pi) + k)
/// (RFC 2409 section 6.1/6.2, RFC 3526 sections 2-7), with pi computed here by Machin's formula:
/// a typo in a 2048-digit hex constant cannot survive this.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class ModpPrimeTests
{
    private static readonly DhGroups Groups = DhGroups.CreateDefault();

    [TestCase(DhGroupId.Modp768, 768, 149686)]
    [TestCase(DhGroupId.Modp1024, 1024, 129093)]
    [TestCase(DhGroupId.Modp1536, 1536, 741804)]
    [TestCase(DhGroupId.Modp2048, 2048, 124476)]
    [TestCase(DhGroupId.Modp3072, 3072, 1690314)]
    [TestCase(DhGroupId.Modp4096, 4096, 240904)]
    [TestCase(DhGroupId.Modp6144, 6144, 929484)]
    [TestCase(DhGroupId.Modp8192, 8192, 4743158)]
    public void Prime_matches_its_definition_from_pi(DhGroupId id, int n, int k)
    {
        var expected = BigInteger.Pow(2, n) - BigInteger.Pow(2, n - 64) - 1
            + BigInteger.Pow(2, 64) * (PiTimesPowerOfTwo(n - 130) + k);
        var prime = ((ModpGroup)Groups.Find(id)!).Prime.Span;
        Assert.That(prime.Length, Is.EqualTo(n / 8));
        Assert.That(new BigInteger(prime, isUnsigned: true, isBigEndian: true), Is.EqualTo(expected));
    }

    /// <summary>floor(2^bits * pi) with pi = 16 atan(1/5) - 4 atan(1/239), in fixed point with guard bits.</summary>
    private static BigInteger PiTimesPowerOfTwo(int bits)
    {
        const int guard = 64;
        var one = BigInteger.One << (bits + guard);
        var pi = 16 * ArctanOfInverse(5, one) - 4 * ArctanOfInverse(239, one);
        return pi >> guard;
    }

    private static BigInteger ArctanOfInverse(int x, BigInteger one)
    {
        BigInteger sum = 0;
        var power = one / x; // one / x^(2k+1)
        var x2 = x * x;
        for (int k = 0; !power.IsZero; k++)
        {
            var term = power / (2 * k + 1);
            sum += k % 2 == 0 ? term : -term;
            power /= x2;
        }
        return sum;
    }
}
