namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>Phase 1 "Group Description" attribute values (RFC 2409 section 6, RFC 3526, RFC 5903).</summary>
public enum DhGroupId : ushort
{
    Modp768 = 1,
    Modp1024 = 2,
    Modp1536 = 5,
    Modp2048 = 14,
    Modp3072 = 15,
    Modp4096 = 16,
    Modp6144 = 17,
    Modp8192 = 18,
    Ecp256 = 19,
    Ecp384 = 20,
    Ecp521 = 21,
}
