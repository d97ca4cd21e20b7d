using System.Security.Cryptography.X509Certificates;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// Compares X.500 names by meaning: the sequence of (attribute type, value) pairs, values trimmed and compared
/// case-insensitively, whatever ASN.1 string type encodes them. A configured value <c>*</c> matches any value
/// (racoon's wildcard in <c>peers_identifier asn1dn</c>).
/// </summary>
internal static class DistinguishedNames
{
    public static bool Equal(X500DistinguishedName a, X500DistinguishedName b) =>
        Components(a).SequenceEqual(Components(b));

    public static bool Matches(X500DistinguishedName peer, string configured)
    {
        X500DistinguishedName pattern;
        try
        {
            pattern = new X500DistinguishedName(configured.Replace("=*", "=WILDCARD-STAR", StringComparison.Ordinal));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        var p = Components(pattern);
        var c = Components(peer);
        return p.Count == c.Count && p.Zip(c).All(x => x.First.Type == x.Second.Type
            && (x.First.Value == "WILDCARD-STAR" || x.First.Value == x.Second.Value));
    }

    private static List<(string Type, string Value)> Components(X500DistinguishedName name)
    {
        var list = new List<(string, string)>();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            var value = rdn.GetSingleElementValue() ?? "";
            list.Add((rdn.GetSingleElementType().Value ?? "", value.Trim().ToUpperInvariant()));
        }
        return list;
    }
}
