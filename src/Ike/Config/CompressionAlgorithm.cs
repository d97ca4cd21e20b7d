namespace KernelIpsec.Ike.Config;

/// <summary>`sainfo { compression_algorithm }`; values are the IPCOMP transform ids.</summary>
public enum CompressionAlgorithm
{
    Oui = 1,
    Deflate = 2,
    Lzs = 3,
}
