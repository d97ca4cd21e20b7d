using System.Formats.Asn1;
using System.Text;

namespace KernelIpsec.Ike.Config.Certificates;

/// <summary>One attribute of a relative distinguished name: its OID and its value as text.</summary>
public sealed record DnAttribute(string Oid, string Value);

/// <summary>
/// An X.500 distinguished name compared by meaning, not by DER bytes: the same attributes in the same
/// order with equal values (case-insensitive, white space collapsed) match whatever ASN.1 string types
/// each side used (PrintableString vs UTF8String is the usual difference between a peer's ID payload and
/// its certificate). A pattern value `*` matches any value, as in racoon's `peers_identifier asn1dn`.
/// Text form: racoon's / OpenSSL's `C=XX, O=Org, CN=host`, written in DER order (outermost first).
/// </summary>
public sealed class DistinguishedName
{
    private static readonly (string Name, string Oid)[] Names =
    [
        ("C", "2.5.4.6"), ("ST", "2.5.4.8"), ("S", "2.5.4.8"), ("L", "2.5.4.7"), ("O", "2.5.4.10"), ("OU", "2.5.4.11"),
        ("CN", "2.5.4.3"), ("STREET", "2.5.4.9"), ("SERIALNUMBER", "2.5.4.5"), ("T", "2.5.4.12"), ("TITLE", "2.5.4.12"),
        ("GN", "2.5.4.42"), ("GIVENNAME", "2.5.4.42"), ("SN", "2.5.4.4"), ("SURNAME", "2.5.4.4"), ("INITIALS", "2.5.4.43"),
        ("PSEUDONYM", "2.5.4.65"), ("DNQUALIFIER", "2.5.4.46"), ("DC", "0.9.2342.19200300.100.1.25"),
        ("UID", "0.9.2342.19200300.100.1.1"), ("EMAILADDRESS", "1.2.840.113549.1.9.1"), ("EMAIL", "1.2.840.113549.1.9.1"),
        ("E", "1.2.840.113549.1.9.1"),
    ];

    public DistinguishedName(IEnumerable<IReadOnlyList<DnAttribute>> rdns) => Rdns = [.. rdns];

    /// <summary>The relative distinguished names in DER order; each usually holds one attribute.</summary>
    public IReadOnlyList<IReadOnlyList<DnAttribute>> Rdns { get; }

    /// <summary>Reads a DER-encoded Name (a certificate subject/issuer, or an ID_DER_ASN1_DN payload).</summary>
    public static DistinguishedName FromDer(ReadOnlySpan<byte> der)
    {
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var name = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var rdns = new List<IReadOnlyList<DnAttribute>>();
            while (name.HasData)
            {
                var set = name.ReadSetOf(skipSortOrderValidation: true);
                var attributes = new List<DnAttribute>();
                while (set.HasData)
                {
                    var attribute = set.ReadSequence();
                    var oid = attribute.ReadObjectIdentifier();
                    attributes.Add(new DnAttribute(oid, ReadValue(attribute)));
                    attribute.ThrowIfNotEmpty();
                }
                rdns.Add(attributes);
            }
            return new DistinguishedName(rdns);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"not a DER-encoded distinguished name: {e.Message}", e);
        }
    }

    private static string ReadValue(AsnReader attribute)
    {
        var tag = attribute.PeekTag();
        if (tag.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.T61String:
                case UniversalTagNumber.BMPString:
                case UniversalTagNumber.VisibleString:
                case UniversalTagNumber.NumericString:
                    return attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                case UniversalTagNumber.UniversalString:
                    var bytes = attribute.ReadOctetString(new Asn1Tag(UniversalTagNumber.UniversalString));
                    return new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(bytes);
            }
        }
        return "#" + Convert.ToHexStringLower(attribute.ReadEncodedValue().Span);
    }

    /// <summary>
    /// Parses `C=XX, O=Org, CN=host` (also `/C=XX/O=Org/CN=host`, `+` for multi-valued RDNs, `\,` and
    /// quotes for special characters, `~HEX` for a hex DER blob as racoon accepts).
    /// </summary>
    public static DistinguishedName Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('~'))
            return FromDer(Convert.FromHexString(trimmed[1..]));
        var slashForm = trimmed.StartsWith('/');
        if (slashForm)
            trimmed = trimmed[1..];
        var separator = slashForm ? '/' : ',';
        var rdns = new List<IReadOnlyList<DnAttribute>>();
        var current = new List<DnAttribute>();
        var token = new StringBuilder();
        string? type = null;
        var quoted = false;
        void Finish(bool endOfRdn)
        {
            if (type is null)
                throw new FormatException($"'{text}' is not a distinguished name: expected TYPE=value");
            current.Add(new DnAttribute(OidFor(type.Trim(), text), token.ToString().Trim()));
            token.Clear();
            type = null;
            if (endOfRdn)
            {
                rdns.Add(current);
                current = [];
            }
        }
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c == '\\' && i + 1 < trimmed.Length)
            {
                token.Append(trimmed[++i]);
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '=' && type is null)
            {
                type = token.ToString();
                token.Clear();
            }
            else if (!quoted && (c == separator || (c == ';' && !slashForm)))
            {
                Finish(endOfRdn: true);
            }
            else if (!quoted && c == '+')
            {
                Finish(endOfRdn: false);
            }
            else
            {
                token.Append(c);
            }
        }
        if (type is not null || token.Length > 0)
            Finish(endOfRdn: true);
        if (rdns.Count == 0)
            throw new FormatException("an empty distinguished name");
        return new DistinguishedName(rdns);
    }

    private static string OidFor(string name, string text)
    {
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
            return name;
        foreach (var (n, oid) in Names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                return oid;
        }
        throw new FormatException($"unknown attribute type '{name}' in distinguished name '{text}'");
    }

    private static string NameFor(string oid)
    {
        foreach (var (n, o) in Names)
        {
            if (o == oid)
                return n switch { "EMAILADDRESS" => "emailAddress", "SERIALNUMBER" => "serialNumber", "STREET" => "street", _ => n };
        }
        return oid;
    }

    /// <summary>DER encoding: PrintableString where the value allows it for C/serialNumber/dnQualifier, IA5String for e-mail/DC, UTF8String otherwise.</summary>
    public byte[] ToDer()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var rdn in Rdns)
            {
                using (writer.PushSetOf())
                {
                    foreach (var attribute in rdn)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(attribute.Oid);
                            writer.WriteCharacterString(StringTypeFor(attribute), attribute.Value);
                        }
                    }
                }
            }
        }
        return writer.Encode();
    }

    private static UniversalTagNumber StringTypeFor(DnAttribute attribute) => attribute.Oid switch
    {
        "2.5.4.6" or "2.5.4.5" or "2.5.4.46" when IsPrintable(attribute.Value) => UniversalTagNumber.PrintableString,
        "1.2.840.113549.1.9.1" or "0.9.2342.19200300.100.1.25" when attribute.Value.All(char.IsAscii) => UniversalTagNumber.IA5String,
        _ => UniversalTagNumber.UTF8String,
    };

    private static bool IsPrintable(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || " '()+,-./:=?".Contains(c));

    /// <summary>
    /// Whether this name matches <paramref name="pattern"/>: same number of RDNs, each with the same
    /// attribute types in order and equal values, a pattern value `*` matching anything.
    /// </summary>
    public bool Matches(DistinguishedName pattern)
    {
        if (Rdns.Count != pattern.Rdns.Count)
            return false;
        for (var i = 0; i < Rdns.Count; i++)
        {
            var mine = Rdns[i];
            var theirs = pattern.Rdns[i];
            if (mine.Count != theirs.Count)
                return false;
            for (var j = 0; j < mine.Count; j++)
            {
                if (mine[j].Oid != theirs[j].Oid)
                    return false;
                if (theirs[j].Value != "*" && !string.Equals(Normalize(mine[j].Value), Normalize(theirs[j].Value), StringComparison.OrdinalIgnoreCase))
                    return false;
            }
        }
        return true;
    }

    /// <summary>Semantic equality (no wildcards).</summary>
    public bool SameAs(DistinguishedName other) => Matches(other) && other.Matches(this);

    private static string Normalize(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public override string ToString() =>
        string.Join(", ", Rdns.Select(rdn => string.Join(" + ", rdn.Select(a => $"{NameFor(a.Oid)}={Escape(a.Value)}"))));

    private static string Escape(string value) =>
        value.IndexOfAny([',', '+', '"', '\\', ';']) < 0 ? value : string.Concat(value.Select(c => c is ',' or '+' or '"' or '\\' or ';' ? "\\" + c : c.ToString()));
}
