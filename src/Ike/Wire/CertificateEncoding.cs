namespace KernelIpsec.Ike.Wire;

/// <summary>Certificate encodings of CERT and CR payloads (RFC 2408 §3.9).</summary>
public enum CertificateEncoding : byte
{
    None = 0,
    Pkcs7 = 1,
    Pgp = 2,
    DnsSignedKey = 3,
    X509Signature = 4,
    X509KeyExchange = 5,
    Kerberos = 6,
    Crl = 7,
    Arl = 8,
    Spki = 9,
    X509Attribute = 10,

    /// <summary>RFC 4945 §3.2.4 / racoon "plain RSA" (raw RSA public key).</summary>
    RawRsaKey = 11,
}
