using System.Text;

namespace KernelIpsec.Ike.Config;

/// <summary>
/// The parsed content of a psk.txt (racoon's <c>getpsk</c> rules): `#` in the first column starts a
/// comment line; the identity is the text up to the first white space; the key is the rest of the line
/// after the following white space, kept byte for byte (inner and trailing spaces included); a key
/// written `0x...` is hex-decoded; a line without a key is skipped. First match wins; an identity `*`
/// (Debian's patch) matches any lookup where it stands.
/// </summary>
public sealed class PreSharedKeyTable : IPreSharedKeyStore
{
    private readonly PreSharedKeyEntry[] entries;

    public PreSharedKeyTable(IEnumerable<PreSharedKeyEntry> entries, IEnumerable<string>? problems = null)
    {
        this.entries = [.. entries];
        Problems = [.. problems ?? []];
    }

    public IReadOnlyList<PreSharedKeyEntry> Entries => entries;

    /// <summary>Lines that could not be used, as "line N: reason" (never containing key material).</summary>
    public IReadOnlyList<string> Problems { get; }

    public byte[]? Find(string identity)
    {
        foreach (var entry in entries)
        {
            if (entry.IsWildcard || entry.Identity == identity)
                return (byte[])entry.Key.Clone();
        }
        return null;
    }

    public static PreSharedKeyTable Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    public static PreSharedKeyTable Parse(ReadOnlySpan<byte> content)
    {
        var entries = new List<PreSharedKeyEntry>();
        var problems = new List<string>();
        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var newline = content.IndexOf((byte)'\n');
            var line = newline < 0 ? content : content[..newline];
            content = newline < 0 ? [] : content[(newline + 1)..];
            if (line.IsEmpty || line[0] == (byte)'#')
                continue;
            var idEnd = 0;
            while (idEnd < line.Length && !IsSpace(line[idEnd]))
                idEnd++;
            var keyStart = idEnd;
            while (keyStart < line.Length && IsSpace(line[keyStart]))
                keyStart++;
            if (keyStart >= line.Length)
                continue;
            var identity = Encoding.UTF8.GetString(line[..idEnd]);
            var key = line[keyStart..];
            if (key.Length >= 2 && key[0] == (byte)'0' && key[1] == (byte)'x')
            {
                var decoded = DecodeHex(key[2..]);
                if (decoded is null)
                {
                    problems.Add($"line {lineNumber}: the key of \"{identity}\" starts with 0x but is not a hex string");
                    continue;
                }
                entries.Add(new PreSharedKeyEntry(identity, decoded, lineNumber));
            }
            else
            {
                entries.Add(new PreSharedKeyEntry(identity, key.ToArray(), lineNumber));
            }
        }
        return new PreSharedKeyTable(entries, problems);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    /// <summary>Hex digits to bytes; an odd count gets a leading zero nibble. Null on a non-hex character.</summary>
    private static byte[]? DecodeHex(ReadOnlySpan<byte> hex)
    {
        if (hex.IsEmpty)
            return null;
        var result = new byte[(hex.Length + 1) / 2];
        var nibble = hex.Length % 2 == 1 ? 1 : 0;
        foreach (var c in hex)
        {
            int value = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => -1,
            };
            if (value < 0)
                return null;
            result[nibble / 2] |= (byte)(nibble % 2 == 0 ? value << 4 : value);
            nibble++;
        }
        return result;
    }
}
