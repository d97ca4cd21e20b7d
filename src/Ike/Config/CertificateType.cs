namespace KernelIpsec.Ike.Config;

/// <summary>Kind of local credential / peer certificate source.</summary>
public enum CertificateKind
{
    X509,
    PlainRsa,
    /// <summary>`peers_certfile dnssec`: fetch the peer's certificate from DNS CERT records.</summary>
    Dnssec,
}

/// <summary>
/// `certificate_type x509 "cert" "privkey"` or `certificate_type plain_rsa "privkey"`.
/// For plain RSA <see cref="Certificate"/> is null.
/// </summary>
public sealed record CertificateTypeConfig(CertificateKind Kind, FileReference? Certificate, FileReference PrivateKey);

/// <summary>`peers_certfile x509 "cert" | plain_rsa "pubkey" | dnssec | "cert"` (the last form is deprecated).</summary>
public sealed record PeersCertFileConfig(CertificateKind Kind, FileReference? File, bool DeprecatedForm = false);
