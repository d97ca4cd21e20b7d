using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>A test CA and end-entity certificates made in-process, plus a verifier that trusts only that CA.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(Subject(name), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public static X509Certificate2 CreateLeaf(X509Certificate2 ca, string commonName, IPAddress address, string dns)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(Subject(commonName), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        san.AddDnsName(dns);
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// C, O, CN in this DER order, as OpenSSL and the interop rig's certificates have it. (.NET's string
    /// constructor would store "C=XX, O=..., CN=..." reversed, CN first, which no real peer does.)
    /// </summary>
    private static X500DistinguishedName Subject(string commonName) =>
        new(KernelIpsec.Ike.Config.Certificates.DistinguishedName.Parse($"C=XX, O=ikev1-rig, CN={commonName}").ToDer());
}

/// <summary>Trusts certificates that chain to one CA (X509Chain with a custom trust store, no revocation).</summary>
internal sealed class CaVerifier : ICertificateVerifier
{
    private readonly X509Certificate2 ca;
    private readonly X509Certificate2? own;

    public CaVerifier(X509Certificate2 ca, X509Certificate2? own, X509Certificate2? pinnedPeer = null)
    {
        this.ca = ca;
        this.own = own;
        pinned = pinnedPeer;
    }

    private readonly X509Certificate2? pinned;

    public X509Certificate2? PeerCertificate(RemoteConfig remote) => pinned is null ? null : X509CertificateLoader.LoadCertificate(pinned.RawData);

    public X509Certificate2? OwnCertificate(RemoteConfig remote) => own;

    public string? Verify(RemoteConfig remote, X509Certificate2 peer, IReadOnlyList<X509Certificate2> extra)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(extra.ToArray());
        return chain.Build(peer) ? null : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
    }
}
