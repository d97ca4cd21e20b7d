namespace KernelIpsec.Ike.Wire;

/// <summary>
/// Diffie-Hellman groups by their IANA number: the phase 1 and phase 2 "Group Description" attribute values
/// (RFC 2409 §6, RFC 3526, RFC 5903, RFC 5114). One list for the wire, the crypto (which implements some of
/// them, see Crypto/DiffieHellman/DhGroups) and the configuration.
/// </summary>
public enum DhGroupId : ushort
{
    Modp768 = 1,
    Modp1024 = 2,
    Ec2nGp155 = 3,
    Ec2nGp185 = 4,
    Modp1536 = 5,
    Modp2048 = 14,
    Modp3072 = 15,
    Modp4096 = 16,
    Modp6144 = 17,
    Modp8192 = 18,
    Ecp256 = 19,
    Ecp384 = 20,
    Ecp521 = 21,
    Modp1024s160 = 22,
    Modp2048s224 = 23,
    Modp2048s256 = 24,
}
