using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Config.Certificates;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

/// <summary>Chains made in the test with CertificateRequest: trust via ca_type only, CRLs, pinning, DN matching.</summary>
[TestFixture, Category(Tier.Unit)]
public sealed class CertificateTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static (X509Certificate2 Cert, RSA Key) MakeCa(string subject)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1)), key);
    }

    private static (X509Certificate2 Cert, RSA Key) MakeLeaf(X509Certificate2 ca, RSA caKey, X500DistinguishedName subject, byte serial, IPAddress? ip = null, string? dns = null)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        if (ip is not null) san.AddIpAddress(ip);
        if (dns is not null) san.AddDnsName(dns);
        san.AddEmailAddress("admin@example.org");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var cert = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), Now.AddDays(-1), Now.AddDays(30), [serial]);
        return (cert, key);
    }

    /// <summary>A subject encoded with PrintableString everywhere (what the ID payload built from a config string often carries).</summary>
    private static X500DistinguishedName PrintableSubject(params (string Oid, string Value)[] parts) =>
        Subject(UniversalTagNumber.PrintableString, parts);

    private static X500DistinguishedName Subject(UniversalTagNumber type, params (string Oid, string Value)[] parts)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in parts)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteCharacterString(type, value);
                }
            }
        }
        return new X500DistinguishedName(writer.Encode());
    }

    [Test]
    public void ChainToCaTypeIsTrustedAndAnotherCaIsNot()
    {
        var (ca, caKey) = MakeCa("C=XX, O=ikev1-rig, CN=ikev1-rig CA");
        var (other, _) = MakeCa("C=XX, O=elsewhere, CN=Other CA");
        var (leaf, _) = MakeLeaf(ca, caKey, new X500DistinguishedName("C=XX, O=ikev1-rig, CN=right.ikev1.test"), 7, IPAddress.Parse("10.77.0.2"), "right.ikev1.test");

        Assert.That(CertificateVerifier.VerifyChain(leaf, [ca], at: Now), Is.EqualTo(CertificateVerdict.Ok));

        var untrusted = CertificateVerifier.VerifyChain(leaf, [other], at: Now);
        Assert.That(untrusted.Trusted, Is.False);
        Assert.That(untrusted.Problems, Does.Contain("the certificate is not issued by a ca_type certificate (untrusted chain)"));

        var expired = CertificateVerifier.VerifyChain(leaf, [ca], at: Now.AddDays(60));
        Assert.That(expired.Problems, Does.Contain("the certificate (or one in its chain) is expired or not yet valid"));
    }

    [Test]
    public void RevokedCertificateIsRefusedWhenTheCrlIsGiven()
    {
        var (ca, caKey) = MakeCa("CN=CRL CA");
        var (leaf, _) = MakeLeaf(ca, caKey, new X500DistinguishedName("CN=revoked.example"), 9);
        var (good, _) = MakeLeaf(ca, caKey, new X500DistinguishedName("CN=good.example"), 10);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf.SerialNumberBytes.Span, Now.AddHours(-1));
        var crlDer = builder.Build(ca, BigInteger.One, Now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now);
        var crl = RevocationList.FromDer(crlDer);

        Assert.That(crl.Issuer.SameAs(DistinguishedName.Parse("CN=CRL CA")), Is.True);
        Assert.That(CertificateVerifier.VerifyChain(leaf, [ca], revocationLists: [crl], at: Now).Problems,
            Is.EqualTo(new[] { "certificate revoked: CN=revoked.example (serial 09)" }));
        Assert.That(CertificateVerifier.VerifyChain(good, [ca], revocationLists: [crl], at: Now), Is.EqualTo(CertificateVerdict.Ok));
        Assert.That(CertificateVerifier.VerifyChain(leaf, [ca], at: Now).Trusted, Is.True, "a missing CRL is tolerated, as in racoon");
    }

    [Test]
    public void DistinguishedNamesMatchAcrossStringTypes()
    {
        var utf8 = Subject(UniversalTagNumber.UTF8String, ("2.5.4.6", "XX"), ("2.5.4.10", "ikev1-rig"), ("2.5.4.3", "right.ikev1.test"));
        var printable = PrintableSubject(("2.5.4.6", "XX"), ("2.5.4.10", "ikev1-rig"), ("2.5.4.3", "right.ikev1.test"));
        Assert.That(utf8.RawData, Is.Not.EqualTo(printable.RawData), "the DER differs, which is what made racoon refuse charon's ID");

        var fromCert = DistinguishedName.FromDer(printable.RawData);
        var fromPayload = DistinguishedName.FromDer(utf8.RawData);
        var configured = DistinguishedName.Parse("C=XX, O=ikev1-rig, CN=right.ikev1.test");

        Assert.That(fromCert.SameAs(fromPayload), Is.True);
        Assert.That(fromCert.Matches(configured), Is.True);
        Assert.That(fromCert.Matches(DistinguishedName.Parse("C=XX, O=IKEV1-RIG,  CN=*")), Is.True, "case, white space and * wildcard");
        Assert.That(fromCert.Matches(DistinguishedName.Parse("C=XX, O=ikev1-rig, CN=left.ikev1.test")), Is.False);
        Assert.That(fromCert.Matches(DistinguishedName.Parse("O=ikev1-rig, C=XX, CN=right.ikev1.test")), Is.False, "order matters");
        Assert.That(configured.ToString(), Is.EqualTo("C=XX, O=ikev1-rig, CN=right.ikev1.test"));
        Assert.That(DistinguishedName.FromDer(configured.ToDer()).SameAs(configured), Is.True);
        Assert.That(DistinguishedName.Parse("/C=XX/O=ikev1-rig/CN=right.ikev1.test").SameAs(configured), Is.True);
        Assert.Throws<FormatException>(() => DistinguishedName.Parse("C=XX, BOGUS=1"));
    }

    [Test]
    public void IdentitiesAreCheckedAgainstSubjectAndAltNames()
    {
        var (ca, caKey) = MakeCa("CN=ID CA");
        var (leaf, _) = MakeLeaf(ca, caKey, PrintableSubject(("2.5.4.6", "XX"), ("2.5.4.3", "right.ikev1.test")), 3, IPAddress.Parse("10.77.0.2"), "right.ikev1.test");

        Assert.That(CertificateVerifier.CertificateHasIdentity(leaf, new IdentifierConfig(IdentifierType.Asn1Dn, "C=XX, CN=right.ikev1.test")), Is.True);
        Assert.That(CertificateVerifier.CertificateHasIdentity(leaf, new IdentifierConfig(IdentifierType.Address, "10.77.0.2")), Is.True);
        Assert.That(CertificateVerifier.CertificateHasIdentity(leaf, new IdentifierConfig(IdentifierType.Address, "10.77.0.1")), Is.False);
        Assert.That(CertificateVerifier.CertificateHasIdentity(leaf, new IdentifierConfig(IdentifierType.Fqdn, "RIGHT.ikev1.test")), Is.True);
        Assert.That(CertificateVerifier.CertificateHasIdentity(leaf, new IdentifierConfig(IdentifierType.UserFqdn, "admin@example.org")), Is.True);
        Assert.That(CertificateVerifier.MatchesPinned(leaf, leaf), Is.True);
        Assert.That(CertificateVerifier.MatchesPinned(leaf, ca), Is.False);
    }

    [Test]
    public void PemFilesLoadInBothKeyFormats()
    {
        using var files = new ConfigTestFiles();
        var (ca, caKey) = MakeCa("CN=PEM CA");
        var (leaf, key) = MakeLeaf(ca, caKey, new X500DistinguishedName("CN=left"), 5);
        var certPath = files.Write("left.crt", leaf.ExportCertificatePem());
        var pkcs8 = files.Write("left.key", key.ExportPkcs8PrivateKeyPem());
        var pkcs1 = files.Write("left.rsa.key", key.ExportRSAPrivateKeyPem());
        var bundle = files.Write("bundle.pem", ca.ExportCertificatePem() + "\n" + leaf.ExportCertificatePem());
        var wrongKey = files.Write("other.key", caKey.ExportPkcs8PrivateKeyPem());

        var loaded = CredentialFiles.LoadCertificate(certPath);
        Assert.That(loaded.Subject, Is.EqualTo("CN=left"));
        using (var k8 = CredentialFiles.LoadRsaPrivateKey(pkcs8))
            Assert.That(CredentialFiles.KeyMatchesCertificate(k8, loaded), Is.True);
        using (var k1 = CredentialFiles.LoadRsaPrivateKey(pkcs1))
            Assert.That(CredentialFiles.KeyMatchesCertificate(k1, loaded), Is.True);
        using (var other = CredentialFiles.LoadRsaPrivateKey(wrongKey))
            Assert.That(CredentialFiles.KeyMatchesCertificate(other, loaded), Is.False);
        Assert.That(CredentialFiles.LoadCertificates(bundle), Has.Count.EqualTo(2));
        Assert.That(() => CredentialFiles.LoadCertificate(pkcs8), Throws.TypeOf<CredentialException>().With.Message.EqualTo($"{pkcs8}: no certificate found (expected -----BEGIN CERTIFICATE-----)"));
    }
}
