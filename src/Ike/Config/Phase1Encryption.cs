namespace KernelIpsec.Ike.Config;

/// <summary>Phase 1 ciphers (`proposal { encryption_algorithm }`); values are the IKEv1 Oakley attribute numbers.</summary>
public enum Phase1Encryption
{
    Des = 1,
    Idea = 2,
    Blowfish = 3,
    Rc5 = 4,
    TripleDes = 5,
    Cast128 = 6,
    Aes = 7,
    Camellia = 8,
}
