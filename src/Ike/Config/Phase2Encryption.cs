namespace KernelIpsec.Ike.Config;

/// <summary>ESP transforms for `sainfo { encryption_algorithm }`; values are the IPsec DOI transform ids.</summary>
public enum Phase2Encryption
{
    DesIv64 = 1,
    Des = 2,
    TripleDes = 3,
    Rc5 = 4,
    Idea = 5,
    Cast128 = 6,
    Blowfish = 7,
    TripleIdea = 8,
    DesIv32 = 9,
    Rc4 = 10,
    Null = 11,
    Aes = 12,
    Twofish = 253,
    Camellia = 22,
}
