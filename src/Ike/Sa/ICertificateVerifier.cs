using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// Certificates for RSA signature authentication, as the daemon loads them from racoon.conf: our own
/// certificate and key for a remote (<c>certificate_type x509</c>), and the verdict on a peer's chain
/// against the remote's trust anchors (<c>ca_type</c>, <c>peers_certfile</c>, <c>verify_cert</c>).
/// </summary>
public interface ICertificateVerifier
{
    /// <summary>Our certificate with its private key for <paramref name="remote"/>, or null when none is configured.</summary>
    X509Certificate2? OwnCertificate(RemoteConfig remote);

    /// <summary>
    /// Null when <paramref name="peer"/> (with the extra certificates the peer sent) is trusted for
    /// <paramref name="remote"/>; otherwise why not, in words for the log.
    /// </summary>
    string? Verify(RemoteConfig remote, X509Certificate2 peer, IReadOnlyList<X509Certificate2> extra);

    /// <summary>
    /// <c>peers_certfile x509 "file"</c>: the peer's certificate from our configuration, used when the peer sends
    /// no CERT payload (its <c>send_cert off</c>); null when none is configured.
    /// </summary>
    X509Certificate2? PeerCertificate(RemoteConfig remote) => null;
}
