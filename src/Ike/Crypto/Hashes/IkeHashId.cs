namespace KernelIpsec.Ike.Crypto.Hashes;

/// <summary>Phase 1 "Hash Algorithm" attribute values (RFC 2409 appendix A; IANA IPSEC registry, 4-6 from RFC 4868's era).</summary>
public enum IkeHashId : ushort
{
    Md5 = 1,
    Sha1 = 2,
    Tiger = 3,
    Sha2_256 = 4,
    Sha2_384 = 5,
    Sha2_512 = 6,
}
