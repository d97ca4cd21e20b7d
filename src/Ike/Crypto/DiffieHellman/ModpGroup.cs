using System.Security.Cryptography;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// A MODP group (generator 2): RFC 2409 groups 1 and 2, RFC 3526 groups 5 and 14-18.
/// Private exponents have <see cref="ExponentBits"/> random bits: for the RFC 3526 groups that is
/// the exponent size of RFC 3526 section 8's more conservative strength estimate ("Strength
/// Estimate 2": 240, 320, 420, 480, 540, 620 bits, i.e. twice the group's symmetric strength), the
/// same reasoning that makes OpenSSL use 225-bit exponents for ffdhe2048. The cost of an
/// exponentiation is linear in the exponent length, so a full-size exponent would cost 6-13x more
/// for no security gain (the group's strength is bounded by the modulus). Groups 1 and 2 predate
/// those estimates and are cheap: they keep full-size exponents.
/// </summary>
public sealed class ModpGroup : DhGroup
{
    private readonly byte[] prime;
    private readonly byte[] primeMinusOne;
    private readonly IModulus modulus;

    public ModpGroup(DhGroupId id, string name, string primeHex, int exponentBits, IModularExponentiation backend)
        : this(id, name, Convert.FromHexString(primeHex), exponentBits, backend)
    {
    }

    private ModpGroup(DhGroupId id, string name, byte[] prime, int exponentBits, IModularExponentiation backend)
        : base(id, name, prime.Length, prime.Length)
    {
        if (exponentBits < 160 || exponentBits >= prime.Length * 8)
            throw new ArgumentOutOfRangeException(nameof(exponentBits), exponentBits, $"must be 160..{prime.Length * 8 - 1}");
        this.prime = prime;
        primeMinusOne = (byte[])prime.Clone();
        primeMinusOne[^1]--; // p is odd: no borrow
        ExponentBits = exponentBits;
        Backend = backend;
        modulus = backend.CreateModulus(prime);
    }

    /// <summary>The prime p, big-endian.</summary>
    public ReadOnlyMemory<byte> Prime => prime;

    /// <summary>Length of our private exponents in bits.</summary>
    public int ExponentBits { get; }

    public IModularExponentiation Backend { get; }

    public override DhKeyPair GenerateKeyPair()
    {
        var exponent = new byte[(ExponentBits + 7) / 8];
        int topBits = ExponentBits % 8;
        do
        {
            RandomNumberGenerator.Fill(exponent);
            if (topBits != 0)
                exponent[0] &= (byte)((1 << topBits) - 1);
        }
        while (IsZeroOrOne(exponent));

        var publicValue = new byte[prime.Length];
        ReadOnlySpan<byte> generator = [2];
        modulus.ModPow(generator, exponent, publicValue);
        return new ModpKeyPair(this, exponent, publicValue);
    }

    public override void ValidatePublicValue(ReadOnlySpan<byte> publicValue)
    {
        // RFC 2409 section 5: the KE data is padded to the prime's length; a shorter or longer value
        // is malformed, not a number to reinterpret.
        if (publicValue.Length != prime.Length)
            throw new DhPublicValueException(this, $"is {publicValue.Length} bytes, must be {prime.Length} (the prime's length)");
        // 1 < y < p-1: rejects 0, 1 and p-1, the values that force g^xy into {0, 1, p-1}, and
        // anything not reduced mod p. All these primes are safe primes (p = 2q + 1), so {1, p-1}
        // is the only small subgroup and no further check is needed.
        // Equal-length big-endian strings compare as numbers.
        if (IsZeroOrOne(publicValue) || publicValue.SequenceCompareTo(primeMinusOne) >= 0)
            throw new DhPublicValueException(this, "is outside 1 < y < p-1");
    }

    internal void ModPow(ReadOnlySpan<byte> value, ReadOnlySpan<byte> exponent, Span<byte> result)
        => modulus.ModPow(value, exponent, result);

    private static bool IsZeroOrOne(ReadOnlySpan<byte> value)
        => value[..^1].IndexOfAnyExcept((byte)0) < 0 && value[^1] <= 1;
}
