namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// The big-number backend behind the MODP groups: base^exponent mod p over big-endian byte
/// strings. Two implementations: <see cref="LibCryptoModularExponentiation"/> (OpenSSL's
/// libcrypto, fast) and <see cref="BouncyCastleModularExponentiation"/> (managed, the fallback).
/// </summary>
public interface IModularExponentiation
{
    /// <summary>A short name for logs and benchmarks ("libcrypto", "bouncycastle").</summary>
    string Name { get; }

    /// <summary>Prepares arithmetic modulo <paramref name="modulus"/> (big-endian, odd); the result is thread-safe.</summary>
    IModulus CreateModulus(ReadOnlySpan<byte> modulus);
}

/// <summary>Arithmetic modulo one fixed odd modulus, with whatever precomputation the backend keeps (Montgomery form).</summary>
public interface IModulus
{
    /// <summary>Length of the modulus in bytes; results are padded to it.</summary>
    int Length { get; }

    /// <summary>
    /// result = value^secretExponent mod p, big-endian, left-padded to <see cref="Length"/> bytes.
    /// The exponent is secret: backends use constant-time exponentiation where they have one.
    /// </summary>
    void ModPow(ReadOnlySpan<byte> value, ReadOnlySpan<byte> secretExponent, Span<byte> result);
}
