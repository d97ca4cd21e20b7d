using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace KernelIpsec.Ike.Config.Certificates;

/// <summary>The outcome of checking a peer certificate: OK, or the reasons it was refused.</summary>
public sealed record CertificateVerdict(bool Trusted, IReadOnlyList<string> Problems)
{
    public static CertificateVerdict Ok { get; } = new(true, []);
}

/// <summary>
/// racoon's peer certificate checks without OpenSSL: the chain must end at one of the `ca_type`
/// certificates (a custom trust store; the system roots are never consulted), every certificate must be
/// valid at the given time, and a CRL from an issuer in the chain, when one is given, must not list it
/// (a missing CRL is tolerated, as in racoon). Pinning (`peers_certfile`) and identity checks are separate.
/// </summary>
public static class CertificateVerifier
{
    public static CertificateVerdict VerifyChain(
        X509Certificate2 peer,
        IEnumerable<X509Certificate2> trustAnchors,
        IEnumerable<X509Certificate2>? intermediates = null,
        IEnumerable<RevocationList>? revocationLists = null,
        DateTimeOffset? at = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = (at ?? DateTimeOffset.UtcNow).UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustAnchors.ToArray());
        if (intermediates is not null)
            chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        var problems = new List<string>();
        if (!chain.Build(peer))
        {
            foreach (var status in chain.ChainStatus)
                problems.Add(Describe(status));
            if (problems.Count == 0)
                problems.Add("the certificate chain could not be built to a ca_type certificate");
            return new CertificateVerdict(false, problems);
        }
        if (revocationLists is not null)
        {
            var crls = revocationLists.ToList();
            var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
            for (var i = 0; i < elements.Count - 1; i++)
            {
                var subject = elements[i];
                var issuer = elements[i + 1];
                foreach (var crl in crls.Where(c => c.IssuerDer.AsSpan().SequenceEqual(issuer.SubjectName.RawData)))
                {
                    if (!crl.IsSignedBy(issuer))
                        problems.Add($"the CRL of {issuer.Subject} is not signed by its issuer");
                    else if (crl.IsRevoked(subject))
                        problems.Add($"certificate revoked: {subject.Subject} (serial {subject.SerialNumber})");
                }
            }
        }
        return problems.Count == 0 ? CertificateVerdict.Ok : new CertificateVerdict(false, problems);
    }

    private static string Describe(X509ChainStatus status) => status.Status switch
    {
        X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => "the certificate is not issued by a ca_type certificate (untrusted chain)",
        X509ChainStatusFlags.NotTimeValid => "the certificate (or one in its chain) is expired or not yet valid",
        X509ChainStatusFlags.NotSignatureValid => "a signature in the certificate chain is invalid",
        _ => $"{status.Status}: {status.StatusInformation.Trim()}",
    };

    /// <summary>`peers_certfile`: the peer must present exactly the pinned certificate.</summary>
    public static bool MatchesPinned(X509Certificate2 presented, X509Certificate2 pinned) =>
        presented.RawDataMemory.Span.SequenceEqual(pinned.RawDataMemory.Span);

    /// <summary>
    /// The certificate's identity check (racoon's ID ↔ certificate): asn1dn against the subject
    /// (semantically, with `*` wildcards), address/fqdn/user_fqdn against subjectAltName IP/DNS/e-mail.
    /// </summary>
    public static bool CertificateHasIdentity(X509Certificate2 certificate, IdentifierConfig identifier)
    {
        switch (identifier.Type)
        {
            case IdentifierType.Asn1Dn:
                return identifier.Value is null
                    || DistinguishedName.FromDer(certificate.SubjectName.RawData).Matches(DistinguishedName.Parse(identifier.Value));
            case IdentifierType.Address when identifier.Value is not null && IPAddress.TryParse(identifier.Value, out var address):
                return SubjectAltNames(certificate).IpAddresses.Any(a => a.Equals(address));
            case IdentifierType.Fqdn when identifier.Value is not null:
                return SubjectAltNames(certificate).DnsNames.Any(n => string.Equals(n, identifier.Value, StringComparison.OrdinalIgnoreCase));
            case IdentifierType.UserFqdn when identifier.Value is not null:
                return SubjectAltNames(certificate).Emails.Any(n => string.Equals(n, identifier.Value, StringComparison.OrdinalIgnoreCase));
            default:
                return false;
        }
    }

    private static (List<IPAddress> IpAddresses, List<string> DnsNames, List<string> Emails) SubjectAltNames(X509Certificate2 certificate)
    {
        var ips = new List<IPAddress>();
        var dns = new List<string>();
        var emails = new List<string>();
        if (certificate.Extensions["2.5.29.17"] is X509Extension raw)
        {
            var san = new X509SubjectAlternativeNameExtension(raw.RawData, raw.Critical);
            ips.AddRange(san.EnumerateIPAddresses());
            dns.AddRange(san.EnumerateDnsNames());
            var reader = new System.Formats.Asn1.AsnReader(raw.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
            var rfc822 = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 1);
            while (reader.HasData)
            {
                if (reader.PeekTag().HasSameClassAndValue(rfc822))
                    emails.Add(reader.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, rfc822));
                else
                    reader.ReadEncodedValue();
            }
        }
        return (ips, dns, emails);
    }
}
