using System.Globalization;

namespace KernelIpsec.Setkey.Names;

/// <summary>
/// IP protocol names both ways, as <c>getprotobyname</c>/<c>getprotobynumber</c> give them from
/// /etc/protocols (setkey resolves <c>udp</c> in selectors and prints <c>ipv6-icmp</c> in dumps
/// that way). <c>icmp6</c> and <c>ip4</c> are setkey's own extra names.
/// </summary>
public sealed class ProtocolNames
{
    private readonly Lazy<Tables> tables;

    private ProtocolNames(Func<Tables> load) => tables = new Lazy<Tables>(load);

    private sealed record Tables(Dictionary<string, byte> ByName, Dictionary<byte, string> ByNumber);

    /// <summary>The names of Debian's /etc/protocols for the protocols IPsec selectors use.</summary>
    public static ProtocolNames BuiltIn { get; } = Parse(
        """
        ip 0 IP
        icmp 1 ICMP
        igmp 2 IGMP
        ipencap 4 IP-ENCAP
        tcp 6 TCP
        udp 17 UDP
        ipv6 41 IPv6
        ipv6-route 43 IPv6-Route
        ipv6-frag 44 IPv6-Frag
        rsvp 46 RSVP
        gre 47 GRE
        esp 50 IPSEC-ESP
        ah 51 IPSEC-AH
        ipv6-icmp 58 IPv6-ICMP
        ipv6-nonxt 59 IPv6-NoNxt
        ipv6-opts 60 IPv6-Opts
        ospf 89 OSPFIGP
        ipip 94 IPIP
        pim 103 PIM
        ipcomp 108 IPCOMP
        vrrp 112 VRRP
        l2tp 115 L2TP
        sctp 132 SCTP
        mobility-header 135 Mobility-Header
        udplite 136 UDPLite
        """);

    /// <summary>
    /// /etc/protocols if it can be read, else <see cref="BuiltIn"/>; read on the first lookup, since most
    /// runs never name or print a protocol and reading the file costs a noticeable part of a short run.
    /// </summary>
    public static ProtocolNames FromSystem(string path = "/etc/protocols") => new(() => Load(path));

    private static Tables Load(string path)
    {
        try
        {
            return File.Exists(path) ? Table(File.ReadAllText(path)) : BuiltIn.tables.Value;
        }
        catch (IOException)
        {
            return BuiltIn.tables.Value;
        }
        catch (UnauthorizedAccessException)
        {
            return BuiltIn.tables.Value;
        }
    }

    /// <summary>Reads the /etc/protocols format: <c>name number [aliases…] [# comment]</c>.</summary>
    public static ProtocolNames Parse(string text)
    {
        var table = Table(text);
        return new ProtocolNames(() => table);
    }

    private static Tables Table(string text)
    {
        var byName = new Dictionary<string, byte>(StringComparer.Ordinal);
        var byNumber = new Dictionary<byte, string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
                line = line[..hash];
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !byte.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                continue;
            byNumber.TryAdd(number, fields[0]);
            byName.TryAdd(fields[0], number);
            foreach (var alias in fields.Skip(2))
                byName.TryAdd(alias, number);
        }
        return new Tables(byName, byNumber);
    }

    /// <summary>The protocol number of a name (setkey's <c>icmp6</c> and <c>ip4</c> included).</summary>
    public byte? Number(string name)
    {
        if (tables.Value.ByName.TryGetValue(name, out var n))
            return n;
        return name switch
        {
            "icmp6" => 58,
            "ip4" => 4,
            _ => null,
        };
    }

    /// <summary>The name a dump prints for a protocol number: the official name, else the number.</summary>
    public string Name(byte number) =>
        tables.Value.ByNumber.TryGetValue(number, out var name) ? name : number.ToString(CultureInfo.InvariantCulture);
}
