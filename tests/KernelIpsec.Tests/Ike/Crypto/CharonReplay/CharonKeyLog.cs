using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelIpsec.Tests.Ike.Crypto.CharonReplay;

/// <summary>
/// The byte blobs charon logs at level 4 ("SKEYID => 20 bytes @ 0x...", then hex dump lines
/// "   0: C3 38 ..."), by label, in log order.
/// </summary>
internal sealed partial class CharonKeyLog
{
    private readonly Dictionary<string, List<byte[]>> blobs = [];

    public CharonKeyLog(string path)
    {
        Path = path;
        string? label = null;
        int remaining = 0;
        var current = new List<byte>();
        foreach (var line in File.ReadLines(path))
        {
            var header = HeaderLine().Match(line);
            if (header.Success)
            {
                label = header.Groups["label"].Value;
                remaining = int.Parse(header.Groups["length"].Value, CultureInfo.InvariantCulture);
                current.Clear();
                if (remaining == 0)
                    Add(label, current);
                continue;
            }
            if (label is null || remaining == 0)
                continue;
            var dump = DumpLine().Match(line);
            if (!dump.Success)
                continue;
            foreach (Capture hex in dump.Groups["byte"].Captures)
            {
                current.Add(byte.Parse(hex.Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                if (--remaining == 0)
                {
                    Add(label, current);
                    label = null;
                    break;
                }
            }
        }
    }

    public string Path { get; }

    /// <summary>The n-th blob logged under <paramref name="label"/> (0 = first).</summary>
    public byte[] Get(string label, int index = 0)
    {
        if (!blobs.TryGetValue(label, out var list) || list.Count <= index)
            throw new InvalidOperationException($"{Path}: charon logged no '{label}' #{index}");
        return list[index];
    }

    public int Count(string label) => blobs.TryGetValue(label, out var list) ? list.Count : 0;

    private void Add(string label, List<byte> bytes)
    {
        if (!blobs.TryGetValue(label, out var list))
            blobs[label] = list = [];
        list.Add([.. bytes]);
    }

    [GeneratedRegex(@"\[(IKE|CHD)\] (?<label>[^\[\]]+?) => (?<length>\d+) bytes @ 0x[0-9a-f]+$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"\[(IKE|CHD)\]\s+\d+: (?:(?<byte>[0-9A-F]{2}) ){1,16}")]
    private static partial Regex DumpLine();
}
