using System.Globalization;

namespace KernelIpsec.Setkey.Names;

/// <summary>
/// UDP service names from /etc/services: setkey resolves <c>[name]</c> ports with getaddrinfo
/// for a datagram socket, so only names with a <c>/udp</c> entry work (<c>[ssh]</c> does not on Debian).
/// </summary>
public sealed class ServiceNames
{
    private readonly Lazy<Dictionary<string, ushort>> udp;

    private ServiceNames(Func<Dictionary<string, ushort>> load) => udp = new Lazy<Dictionary<string, ushort>>(load);

    public static ServiceNames Empty { get; } = new(() => new Dictionary<string, ushort>());

    /// <summary>
    /// /etc/services, read on the first lookup: most runs (-D, -DP, scripts without named ports) never
    /// need it, and reading and parsing it was about a tenth of a <c>setkey -D</c> start.
    /// </summary>
    public static ServiceNames FromSystem(string path = "/etc/services") => new(() => Load(path));

    private static Dictionary<string, ushort> Load(string path)
    {
        try
        {
            return File.Exists(path) ? Table(File.ReadAllText(path)) : new Dictionary<string, ushort>();
        }
        catch (IOException)
        {
            return new Dictionary<string, ushort>();
        }
        catch (UnauthorizedAccessException)
        {
            return new Dictionary<string, ushort>();
        }
    }

    /// <summary>Reads the /etc/services format: <c>name port/proto [aliases…] [# comment]</c>.</summary>
    public static ServiceNames Parse(string text)
    {
        var table = Table(text);
        return new ServiceNames(() => table);
    }

    private static Dictionary<string, ushort> Table(string text)
    {
        var udp = new Dictionary<string, ushort>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
                line = line[..hash];
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
                continue;
            var slash = fields[1].IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || fields[1][(slash + 1)..] != "udp"
                || !ushort.TryParse(fields[1].AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                continue;
            }

            foreach (var name in fields.Where((_, i) => i != 1))
                udp.TryAdd(name, port);
        }
        return udp;
    }

    public ushort? UdpPort(string name) => udp.Value.TryGetValue(name, out var port) ? port : null;
}
