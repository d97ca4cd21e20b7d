namespace KernelIpsec.Ike.Config;

/// <summary>Phase 1 hash (`hash_algorithm`); values are the Oakley attribute numbers.</summary>
public enum HashAlgorithm
{
    Md5 = 1,
    Sha1 = 2,
    Tiger = 3,
    Sha256 = 4,
    Sha384 = 5,
    Sha512 = 6,
}
