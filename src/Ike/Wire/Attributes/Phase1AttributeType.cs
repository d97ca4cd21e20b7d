namespace KernelIpsec.Ike.Wire;

/// <summary>Phase 1 (Oakley) attribute classes, RFC 2409 appendix A. B = basic, V = variable.</summary>
public enum Phase1AttributeType : ushort
{
    EncryptionAlgorithm = 1, // B
    HashAlgorithm = 2, // B
    AuthenticationMethod = 3, // B
    GroupDescription = 4, // B
    GroupType = 5, // B
    GroupPrime = 6, // V
    GroupGeneratorOne = 7, // V
    GroupGeneratorTwo = 8, // V
    GroupCurveA = 9, // V
    GroupCurveB = 10, // V
    LifeType = 11, // B
    LifeDuration = 12, // V
    Prf = 13, // B
    KeyLength = 14, // B
    FieldSize = 15, // B
    GroupOrder = 16, // V
}

/// <summary>Phase 1 encryption algorithms (RFC 2409 appendix A, AES per RFC 3602, Camellia per RFC 4312).</summary>
public enum EncryptionAlgorithm : ushort
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

/// <summary>Phase 1 hash algorithms (RFC 2409 appendix A, SHA-2 per RFC 4868 / IANA).</summary>
public enum HashAlgorithm : ushort
{
    Md5 = 1,
    Sha1 = 2,
    Tiger = 3,
    Sha2_256 = 4,
    Sha2_384 = 5,
    Sha2_512 = 6,
}

/// <summary>Phase 1 authentication methods (RFC 2409 appendix A, plus the hybrid/XAuth values racoon knows).</summary>
public enum AuthenticationMethod : ushort
{
    PreSharedKey = 1,
    DssSignatures = 2,
    RsaSignatures = 3,
    RsaEncryption = 4,
    RevisedRsaEncryption = 5,
    EcdsaSha256 = 9,
    EcdsaSha384 = 10,
    EcdsaSha512 = 11,

    /// <summary>draft-ietf-ipsec-isakmp-hybrid-auth-05.</summary>
    HybridInitiatorRsa = 64221,
    HybridResponderRsa = 64222,
    HybridInitiatorDss = 64223,
    HybridResponderDss = 64224,

    /// <summary>draft-beaulieu-ike-xauth-02.</summary>
    XauthInitiatorPreSharedKey = 65001,
    XauthResponderPreSharedKey = 65002,
    XauthInitiatorDss = 65003,
    XauthResponderDss = 65004,
    XauthInitiatorRsa = 65005,
    XauthResponderRsa = 65006,
    XauthInitiatorRsaEncryption = 65007,
    XauthResponderRsaEncryption = 65008,
    XauthInitiatorRsaRevisedEncryption = 65009,
    XauthResponderRsaRevisedEncryption = 65010,
}

/// <summary>Group types (RFC 2409 appendix A).</summary>
public enum GroupType : ushort
{
    Modp = 1,
    Ecp = 2,
    Ec2n = 3,
}

/// <summary>Life types (RFC 2409 appendix A; the same values in RFC 2407 §4.5 SA Life Type).</summary>
public enum LifeType : ushort
{
    Seconds = 1,
    Kilobytes = 2,
}

/// <summary>Phase 1 transform IDs (RFC 2407 §4.4.2).</summary>
public enum IsakmpTransformId : byte
{
    KeyIke = 1,
}
