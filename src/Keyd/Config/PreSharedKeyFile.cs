using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// psk.txt as racoon uses it: checked (owner, mode, file type) and re-read on every lookup, so edits
/// apply without a reload. A file that fails the check gives no keys; <see cref="LastProblem"/> says why
/// and how to fix it, and the daemon logs it (never the key).
/// </summary>
public sealed class PreSharedKeyFile(string path) : IPreSharedKeyStore
{
    public string Path { get; } = path;

    /// <summary>Why the last lookup could not read the file, or null.</summary>
    public string? LastProblem { get; private set; }

    public byte[]? Find(string identity)
    {
        var table = TryLoad(Path, out var problem);
        LastProblem = problem;
        return table?.Find(identity);
    }

    /// <summary>Checks and parses the file; null with <paramref name="problem"/> when racoon would refuse it.</summary>
    public static PreSharedKeyTable? TryLoad(string path, out string? problem) => TryLoad(path, out problem, out _);

    /// <summary>As <see cref="TryLoad(string, out string?)"/>, with what <c>racoon --check</c> points out about lines that work but likely not as meant.</summary>
    public static PreSharedKeyTable? TryLoad(string path, out string? problem, out IReadOnlyList<string> warnings)
    {
        warnings = [];
        problem = FileSecurity.CheckSecretFile(path);
        if (problem is not null)
        {
            problem = $"failed to open pre_share_key file {path}: {problem}";
            return null;
        }
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"failed to open pre_share_key file {path}: {e.Message}";
            return null;
        }
        content = WithoutCarriageReturns(content);
        warnings = TrailingBlankWarnings(content);
        return PreSharedKeyTable.Parse(content);
    }

    /// <summary>
    /// A file edited on Windows ends its lines with CRLF. racoon keeps the `\r` as the key's last byte, so
    /// such a key never matches the peer's; here a `\r` before a line end (or at the end of the file) is dropped.
    /// </summary>
    public static byte[] WithoutCarriageReturns(byte[] content)
    {
        if (Array.IndexOf(content, (byte)'\r') < 0)
            return content;
        var result = new List<byte>(content.Length);
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\r' && (i + 1 == content.Length || content[i + 1] == (byte)'\n'))
                continue;
            result.Add(content[i]);
        }
        return [.. result];
    }

    /// <summary>
    /// Keys that end with blanks or tabs: racoon keeps those as part of the key, as we do,
    /// but they are nearly always left over from editing. As "line N: ..." without the key.
    /// </summary>
    public static IReadOnlyList<string> TrailingBlankWarnings(ReadOnlySpan<byte> content)
    {
        var warnings = new List<string>();
        foreach (var entry in PreSharedKeyTable.Parse(content).Entries)
        {
            var line = Line(content, entry.Line);
            var blanks = 0;
            while (blanks < line.Length && line[line.Length - 1 - blanks] is (byte)' ' or (byte)'\t')
                blanks++;
            // (A hex key with blanks after it is no entry: it is reported as not being hex.)
            if (blanks == 0)
                continue;
            warnings.Add($"line {entry.Line}: the key of \"{entry.Identity}\" ends with {blanks} blank{(blanks == 1 ? "" : "s")}, which {(blanks == 1 ? "is" : "are")} part of the key (as in racoon); remove {(blanks == 1 ? "it" : "them")} unless the peer's key has {(blanks == 1 ? "it" : "them")} too");
        }
        return warnings;
    }

    private static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> content, int number)
    {
        for (var n = 1; n < number; n++)
            content = content[(content.IndexOf((byte)'\n') + 1)..];
        var end = content.IndexOf((byte)'\n');
        return end < 0 ? content : content[..end];
    }
}
