namespace KernelIpsec.Ike.Config;

/// <summary>A cipher with an optional key length in bits (null = the cipher's default, 128 for variable-length ciphers).</summary>
public readonly record struct CipherChoice<TAlgorithm>(TAlgorithm Algorithm, int? KeyLength)
    where TAlgorithm : struct, Enum;
