using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Config.Certificates;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Config;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// The engine's certificates from racoon.conf: `certificate_type x509 "cert" "key"` (names relative to
/// `path certificate`) as our own, `peers_certfile x509` as a pinned peer certificate, otherwise the chain
/// checked against `ca_type x509` when `verify_cert` is on. Files are read when a negotiation needs them,
/// so a broken file fails that negotiation with a clear log line, not the daemon.
/// </summary>
public sealed class ConfiguredCertificates(RacoonConfig config) : ICertificateVerifier
{
    public X509Certificate2? OwnCertificate(RemoteConfig remote)
    {
        if (remote.CertificateType is not { Certificate: { } certificate } type)
            return null;
        var directory = config.Paths.Certificate;
        using var cert = CredentialFiles.LoadCertificate(certificate.Resolve(directory));
        using var key = CredentialFiles.LoadRsaPrivateKey(type.PrivateKey.Resolve(directory));
        return cert.CopyWithPrivateKey(key);
    }

    public string? Verify(RemoteConfig remote, X509Certificate2 peer, IReadOnlyList<X509Certificate2> extra)
    {
        var directory = config.Paths.Certificate;
        if (remote.PeersCertFile is { File: { } pinned })
        {
            using var expected = CredentialFiles.LoadCertificate(pinned.Resolve(directory));
            return CertificateVerifier.MatchesPinned(peer, expected) ? null : $"the peer's certificate is not the one in {pinned.Path}";
        }
        if (!remote.VerifyCertificate)
            return null;
        if (remote.CaCertificate is not { } ca)
            return "verify_cert is on but no ca_type certificate is configured";
        var anchors = CredentialFiles.LoadCertificates(ca.Resolve(directory));
        var verdict = CertificateVerifier.VerifyChain(peer, anchors, extra);
        return verdict.Trusted ? null : string.Join("; ", verdict.Problems);
    }
}
