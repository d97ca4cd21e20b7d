namespace KernelIpsec.Ike.Wire;

/// <summary>IPsec DOI SA attributes (RFC 2407 §4.5, ECN tunnel per RFC 3168 §9.2).</summary>
public enum IpsecAttributeType : ushort
{
    SaLifeType = 1, // B
    SaLifeDuration = 2, // V
    GroupDescription = 3, // B
    EncapsulationMode = 4, // B
    AuthenticationAlgorithm = 5, // B
    KeyLength = 6, // B
    KeyRounds = 7, // B
    CompressDictionarySize = 8, // B
    CompressPrivateAlgorithm = 9, // V
    EcnTunnel = 10, // B
}

/// <summary>Encapsulation modes (RFC 2407 §4.5, RFC 3947 §5.1, and the NAT-T draft values).</summary>
public enum EncapsulationMode : ushort
{
    Tunnel = 1,
    Transport = 2,
    UdpTunnel = 3,
    UdpTransport = 4,

    /// <summary>draft-ietf-ipsec-nat-t-ike-00..08 UDP-Encapsulated-Tunnel.</summary>
    UdpTunnelDraft = 61443,

    /// <summary>draft-ietf-ipsec-nat-t-ike-00..08 UDP-Encapsulated-Transport.</summary>
    UdpTransportDraft = 61444,
}

/// <summary>Phase 2 authentication algorithms (RFC 2407 §4.5, RFC 4868, IANA).</summary>
public enum AuthenticationAlgorithm : ushort
{
    HmacMd5 = 1,
    HmacSha1 = 2,
    DesMac = 3,
    Kpdk = 4,
    HmacSha2_256 = 5,
    HmacSha2_384 = 6,
    HmacSha2_512 = 7,
    HmacRipemd = 8,
    AesXcbcMac = 9,
}

/// <summary>ESP transform IDs (RFC 2407 §4.4.4, IANA "IPSEC ESP Transform Identifiers").</summary>
public enum EspTransformId : byte
{
    DesIv64 = 1,
    Des = 2,
    TripleDes = 3,
    Rc5 = 4,
    Idea = 5,
    Cast = 6,
    Blowfish = 7,
    TripleIdea = 8,
    DesIv32 = 9,
    Rc4 = 10,
    Null = 11,
    Aes = 12,
    AesCtr = 13,
    AesCcm8 = 14,
    AesCcm12 = 15,
    AesCcm16 = 16,
    AesGcm8 = 18,
    AesGcm12 = 19,
    AesGcm16 = 20,
    NullAuthAesGmac = 23,
    Camellia = 22,
    Twofish = 253,
}

/// <summary>AH transform IDs (RFC 2407 §4.4.3, RFC 4868).</summary>
public enum AhTransformId : byte
{
    Md5 = 2,
    Sha = 3,
    Des = 4,
    Sha2_256 = 5,
    Sha2_384 = 6,
    Sha2_512 = 7,
    Ripemd = 8,
    AesXcbcMac = 9,
}

/// <summary>IPComp transform IDs (RFC 2407 §4.4.5).</summary>
public enum IpcompTransformId : byte
{
    Oui = 1,
    Deflate = 2,
    Lzs = 3,
    Lzjh = 4,
}
