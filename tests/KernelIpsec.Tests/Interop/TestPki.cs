using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// A throwaway CA with a left and a right host certificate (RSA 2048, SHA-256), written as PEM:
/// ca.crt, left.crt, left.key (PKCS#8), left.rsa.key (PKCS#1), and the same for right.
/// </summary>
public sealed class TestPki
{
    public string Directory { get; }
    public string CaSubject => "C=XX, O=kernelipsec-interop, CN=kernelipsec-interop CA";
    public string LeftSubject => "C=XX, O=kernelipsec-interop, CN=" + InteropVariant.LeftFqdn;
    public string RightSubject => "C=XX, O=kernelipsec-interop, CN=" + InteropVariant.RightFqdn;

    private TestPki(string directory) => Directory = directory;

    public static TestPki Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var pki = new TestPki(directory);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest(Name("kernelipsec-interop CA"), caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(10));
        File.WriteAllText(Path.Combine(directory, "ca.crt"), ca.ExportCertificatePem() + "\n");

        pki.Issue(ca, caKey, "left", Name(InteropVariant.LeftFqdn), InteropVariant.LeftFqdn, Infrastructure.NetnsPair.LeftAddress, notBefore, 1);
        pki.Issue(ca, caKey, "right", Name(InteropVariant.RightFqdn), InteropVariant.RightFqdn, Infrastructure.NetnsPair.RightAddress, notBefore, 2);
        return pki;
    }

    private void Issue(X509Certificate2 ca, RSA caKey, string name, X500DistinguishedName subject, string dns, string ip, DateTimeOffset notBefore, byte serial)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dns);
        san.AddIpAddress(System.Net.IPAddress.Parse(ip));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var cert = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            notBefore, notBefore.AddYears(10), [serial]);
        File.WriteAllText(Path.Combine(Directory, name + ".crt"), cert.ExportCertificatePem() + "\n");
        WritePrivate(Path.Combine(Directory, name + ".key"), key.ExportPkcs8PrivateKeyPem() + "\n");
        WritePrivate(Path.Combine(Directory, name + ".rsa.key"), key.ExportRSAPrivateKeyPem() + "\n");
    }

    /// <summary>C, O, CN in this DER order, as the subjects read "C=XX, O=..., CN=..." in IKE IDs.</summary>
    private static X500DistinguishedName Name(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        // The builder writes the last added component first in DER.
        builder.AddCommonName(commonName);
        builder.AddOrganizationName("kernelipsec-interop");
        builder.AddCountryOrRegion("XX");
        return builder.Build();
    }

    private static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, pem);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
