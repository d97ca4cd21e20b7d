using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KernelIpsec.Ike.Config.Certificates;

/// <summary>
/// An X.509 CRL (RFC 5280 §5): issuer, revoked serial numbers, and the signed part so that the issuer's
/// signature can be checked. Only RSA signatures (PKCS#1 v1.5 with SHA-1/SHA-2), which is what racoon's
/// deployments use.
/// </summary>
public sealed class RevocationList
{
    private readonly HashSet<BigInteger> revoked;
    private readonly byte[] tbs;
    private readonly byte[] signature;
    private readonly string signatureAlgorithm;

    private RevocationList(DistinguishedName issuer, byte[] issuerDer, HashSet<BigInteger> revoked, byte[] tbs, string algorithm, byte[] signature, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate)
    {
        Issuer = issuer;
        IssuerDer = issuerDer;
        this.revoked = revoked;
        this.tbs = tbs;
        signatureAlgorithm = algorithm;
        this.signature = signature;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
    }

    public DistinguishedName Issuer { get; }
    public byte[] IssuerDer { get; }
    public DateTimeOffset ThisUpdate { get; }
    public DateTimeOffset? NextUpdate { get; }

    public static RevocationList FromPemOrDer(byte[] data)
    {
        var text = System.Text.Encoding.ASCII.GetString(data);
        if (text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
            data = PemEncoding.Find(text) is var f ? Convert.FromBase64String(text[f.Base64Data]) : data;
        return FromDer(data);
    }

    public static RevocationList FromDer(byte[] der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbsEncoded = outer.PeekEncodedValue().ToArray();
            var tbs = outer.ReadSequence();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
                tbs.ReadInteger();
            tbs.ReadSequence();
            var issuerDer = tbs.PeekEncodedValue().ToArray();
            tbs.ReadEncodedValue();
            var thisUpdate = ReadTime(tbs);
            DateTimeOffset? nextUpdate = null;
            if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
                nextUpdate = ReadTime(tbs);
            var revoked = new HashSet<BigInteger>();
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var entries = tbs.ReadSequence();
                while (entries.HasData)
                {
                    var entry = entries.ReadSequence();
                    revoked.Add(entry.ReadInteger());
                }
            }
            return new RevocationList(DistinguishedName.FromDer(issuerDer), issuerDer, revoked, tbsEncoded, algorithm, signature, thisUpdate, nextUpdate);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"not a DER-encoded CRL: {e.Message}", e);
        }
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    /// <summary>Whether the certificate with this serial number (big-endian bytes as in the certificate) is listed.</summary>
    public bool IsRevoked(X509Certificate2 certificate) =>
        revoked.Contains(new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true));

    /// <summary>Checks the CRL's signature with the issuer certificate's RSA key.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        using var rsa = issuer.GetRSAPublicKey();
        if (rsa is null)
            return false;
        var hash = signatureAlgorithm switch
        {
            "1.2.840.113549.1.1.5" => HashAlgorithmName.SHA1,
            "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
            "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => default,
        };
        return hash.Name is not null && rsa.VerifyData(tbs, signature, hash, RSASignaturePadding.Pkcs1);
    }
}
