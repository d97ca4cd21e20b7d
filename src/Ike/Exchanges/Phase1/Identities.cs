using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Config.Certificates;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// Phase 1 identities: the ID payload we send for <c>my_identifier</c> (racoon <c>ipsecdoi_setid1</c>: an
/// address id carries UDP and our port), the text a pre-shared key is looked up by, and the checks of a peer's
/// ID against <c>peers_identifier</c> and against its certificate. Distinguished names are compared by meaning
/// (RDN types and values), not as raw DER, since peers differ in ASN.1 string types.
/// </summary>
internal static class Identities
{
    public static IdentificationPayload Own(RemoteConfig remote, IPEndPoint local, X509Certificate2? certificate)
    {
        var id = remote.MyIdentifier;
        switch (id.Type)
        {
            case IdentifierType.Address:
                var address = id.Value is null ? local.Address : IPAddress.Parse(id.Value);
                return IdentificationPayload.ForAddress(address, 17, (ushort)local.Port);
            case IdentifierType.Fqdn:
                return IdentificationPayload.ForName(IdType.Fqdn, id.Value ?? "");
            case IdentifierType.UserFqdn:
                return IdentificationPayload.ForName(IdType.UserFqdn, id.Value ?? "");
            case IdentifierType.KeyIdTag:
                return new IdentificationPayload(IdType.KeyId, 0, 0, Encoding.UTF8.GetBytes(id.Value ?? ""));
            case IdentifierType.KeyIdFile:
                if (id.Value is null || !File.Exists(id.Value))
                {
                    throw ExchangeException.Abort($"my_identifier keyid: file \"{id.Value}\" not found", null);
                }
                return new IdentificationPayload(IdType.KeyId, 0, 0, File.ReadAllBytes(id.Value));
            case IdentifierType.Asn1Dn:
                if (id.Value is not null)
                {
                    // racoon's text form is in DER order ("C=XX, O=Org, CN=host"); .NET's X500DistinguishedName
                    // string parser would reverse it.
                    return new IdentificationPayload(IdType.DerAsn1Dn, 0, 0, ParseDn(id.Value).ToDer());
                }
                if (certificate is null)
                {
                    throw ExchangeException.Abort("my_identifier asn1dn needs a certificate (certificate_type x509)", null);
                }
                // Exactly the certificate's subject, so a peer comparing raw DER agrees (interop note on racoon).
                return new IdentificationPayload(IdType.DerAsn1Dn, 0, 0, certificate.SubjectName.RawData);
            default:
                throw ExchangeException.Abort($"my_identifier {id.Keyword} cannot be sent", null);
        }
    }

    /// <summary>How racoon prints an identity and looks a pre-shared key up by it (aggressive mode).</summary>
    public static string Text(IdentificationPayload id) => id.IdType switch
    {
        IdType.Ipv4Address or IdType.Ipv6Address => id.Address!.ToString(),
        IdType.Fqdn or IdType.UserFqdn or IdType.KeyId => Encoding.UTF8.GetString(id.Data),
        IdType.DerAsn1Dn => TryReadDn(id.Data)?.ToString() ?? Convert.ToHexStringLower(id.Data),
        _ => Convert.ToHexStringLower(id.Data),
    };

    /// <summary>Does the peer's ID payload match one configured <c>peers_identifier</c>?</summary>
    public static bool Matches(IdentificationPayload peer, IdentifierConfig configured, IPAddress peerAddress)
    {
        switch (configured.Type)
        {
            case IdentifierType.Address:
                var expected = configured.Value is null ? peerAddress : IPAddress.Parse(configured.Value);
                return peer.IdType is IdType.Ipv4Address or IdType.Ipv6Address && expected.Equals(peer.Address);
            case IdentifierType.Fqdn:
                return peer.IdType == IdType.Fqdn && string.Equals(Encoding.UTF8.GetString(peer.Data), configured.Value, StringComparison.OrdinalIgnoreCase);
            case IdentifierType.UserFqdn:
                return peer.IdType == IdType.UserFqdn && string.Equals(Encoding.UTF8.GetString(peer.Data), configured.Value, StringComparison.OrdinalIgnoreCase);
            case IdentifierType.KeyIdTag:
                return peer.IdType == IdType.KeyId && Encoding.UTF8.GetString(peer.Data) == configured.Value;
            case IdentifierType.KeyIdFile:
                return peer.IdType == IdType.KeyId && configured.Value is not null && File.Exists(configured.Value)
                    && File.ReadAllBytes(configured.Value).AsSpan().SequenceEqual(peer.Data);
            case IdentifierType.Asn1Dn:
                return peer.IdType == IdType.DerAsn1Dn && configured.Value is not null
                    && TryReadDn(peer.Data) is { } peerDn && peerDn.Matches(ParseDn(configured.Value));
            default:
                return false;
        }
    }

    /// <summary>
    /// racoon's <c>oakley_check_certid</c>: an ASN.1 DN id must name the certificate's subject; an address, FQDN or
    /// USER_FQDN id must appear among its subjectAltNames.
    /// </summary>
    public static string? CheckAgainstCertificate(IdentificationPayload id, X509Certificate2 certificate)
    {
        switch (id.IdType)
        {
            case IdType.DerAsn1Dn:
                var subject = DistinguishedName.FromDer(certificate.SubjectName.RawData);
                return TryReadDn(id.Data) is { } idDn && idDn.SameAs(subject)
                    ? null : $"ID mismatched with ASN1 SubjectName: ID {Text(id)}, certificate {subject}";
            case IdType.Ipv4Address or IdType.Ipv6Address or IdType.Fqdn or IdType.UserFqdn:
                var sans = SubjectAltNames(certificate);
                var text = Text(id);
                return sans.Any(s => string.Equals(s, text, StringComparison.OrdinalIgnoreCase))
                    ? null : $"ID mismatched with subjectAltName: ID {text}, certificate has {(sans.Count == 0 ? "none" : string.Join(", ", sans))}";
            default:
                return $"ID type {id.IdType} cannot be checked against a certificate";
        }
    }

    private static DistinguishedName? TryReadDn(byte[] der)
    {
        try
        {
            return DistinguishedName.FromDer(der);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static DistinguishedName ParseDn(string text)
    {
        try
        {
            return DistinguishedName.Parse(text);
        }
        catch (FormatException e)
        {
            throw ExchangeException.Abort($"asn1dn \"{text}\" is not a distinguished name: {e.Message}", null);
        }
    }

    private static List<string> SubjectAltNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var ext in certificate.Extensions)
        {
            if (ext is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                names.AddRange(san.EnumerateIPAddresses().Select(a => a.ToString()));
                var reader = new System.Formats.Asn1.AsnReader(san.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
                while (reader.HasData)
                {
                    var tag = reader.PeekTag();
                    if (tag.TagClass == System.Formats.Asn1.TagClass.ContextSpecific && tag.TagValue == 1)
                    {
                        names.Add(reader.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 1)));
                    }
                    else
                    {
                        reader.ReadEncodedValue();
                    }
                }
            }
        }
        return names;
    }
}
