using Org.BouncyCastle.Math;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// MODP exponentiation with BouncyCastle's managed BigInteger: the fallback where libcrypto.so.3
/// is absent (it is several times faster than System.Numerics.BigInteger.ModPow, still far slower
/// than libcrypto; see BENCHMARKS.md). Stateless, thread-safe.
/// </summary>
public sealed class BouncyCastleModularExponentiation : IModularExponentiation
{
    public string Name => "bouncycastle";

    public IModulus CreateModulus(ReadOnlySpan<byte> modulus) => new Modulus(modulus);

    private sealed class Modulus : IModulus
    {
        private readonly BigInteger modulus;

        public Modulus(ReadOnlySpan<byte> modulus)
        {
            if (modulus.IsEmpty || (modulus[^1] & 1) == 0)
                throw new ArgumentException("modulus must be odd", nameof(modulus));
            this.modulus = new BigInteger(1, modulus);
            Length = modulus.Length;
        }

        public int Length { get; }

        public void ModPow(ReadOnlySpan<byte> value, ReadOnlySpan<byte> secretExponent, Span<byte> result)
        {
            if (result.Length != Length)
                throw new ArgumentException($"result must be {Length} bytes", nameof(result));
            var power = new BigInteger(1, value).ModPow(new BigInteger(1, secretExponent), modulus);
            result.Clear();
            int length = power.GetLengthofByteArrayUnsigned();
            power.ToByteArrayUnsigned(result.Slice(Length - length));
        }
    }
}
