namespace KernelIpsec.Ike.Crypto.Ciphers;

/// <summary>Phase 1 "Encryption Algorithm" attribute values (RFC 2409 appendix A, RFC 3602 for AES, RFC 4312 for Camellia).</summary>
public enum IkeCipherId : ushort
{
    DesCbc = 1,
    IdeaCbc = 2,
    BlowfishCbc = 3,
    Rc5R16B64Cbc = 4,
    TripleDesCbc = 5,
    CastCbc = 6,
    AesCbc = 7,
    CamelliaCbc = 8,
}
