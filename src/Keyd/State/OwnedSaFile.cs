using System.Globalization;
using System.Net;
using System.Text;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.State;

/// <summary>
/// Which SAs in the kernel are this daemon's, kept on disk (next to the pid file, e.g. /var/run/racoon.sas)
/// while it runs: <c>esp 10.77.0.1 10.77.0.2 0x0000c0de</c> a line, no keys. After a crash the next start
/// removes exactly these, where racoon would flush every SA, manual ones included.
/// </summary>
public static class OwnedSaFile
{
    public static void Write(string path, IEnumerable<SaId> ids)
    {
        var text = new StringBuilder();
        text.Append("# SAs installed by racoon (KernelIpsec); a start after a crash removes them\n");
        foreach (var id in ids)
            text.Append(CultureInfo.InvariantCulture, $"{Name(id.Protocol)} {id.Source} {id.Destination} 0x{id.Spi:x8}\n");
        AtomicFile.Write(path, text.ToString());
    }

    /// <summary>The SAs listed (none when the file does not exist); lines it cannot read are reported through <paramref name="bad"/>.</summary>
    public static IReadOnlyList<SaId> Read(string path, Action<int, string> bad)
    {
        if (!File.Exists(path))
            return [];
        var ids = new List<SaId>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4 && Protocol(fields[0]) is { } protocol && IPAddress.TryParse(fields[1], out var source) && IPAddress.TryParse(fields[2], out var destination)
                && fields[3].StartsWith("0x", StringComparison.Ordinal) && uint.TryParse(fields[3].AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var spi))
            {
                ids.Add(new SaId(source, destination, protocol, spi));
            }
            else
            {
                bad(number, line);
            }
        }
        return ids;
    }

    private static string Name(IpsecProtocol protocol) => protocol switch
    {
        IpsecProtocol.Esp => "esp",
        IpsecProtocol.Ah => "ah",
        _ => "ipcomp",
    };

    private static IpsecProtocol? Protocol(string name) => name switch
    {
        "esp" => IpsecProtocol.Esp,
        "ah" => IpsecProtocol.Ah,
        "ipcomp" => IpsecProtocol.IpComp,
        _ => null,
    };
}
