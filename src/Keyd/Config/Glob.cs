namespace KernelIpsec.Keyd.Config;

/// <summary>A small glob(3) for `include`: `*` and `?` in any path segment; matches sorted ordinally.</summary>
internal static class Glob
{
    public static IReadOnlyList<string> Expand(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?']) < 0)
            return File.Exists(pattern) ? [pattern] : [];
        var rooted = pattern.StartsWith('/');
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = [rooted ? "/" : "."];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (segment.IndexOfAny(['*', '?']) < 0)
                {
                    var candidate = Path.Combine(dir, segment);
                    if (last ? File.Exists(candidate) : Directory.Exists(candidate))
                        next.Add(candidate);
                    continue;
                }
                if (!Directory.Exists(dir))
                    continue;
                var options = new EnumerationOptions { MatchType = MatchType.Simple, RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true };
                var entries = last ? Directory.EnumerateFiles(dir, segment, options) : Directory.EnumerateDirectories(dir, segment, options);
                // glob(3) does not let wildcards match a leading dot.
                next.AddRange(entries.Where(e => !Path.GetFileName(e).StartsWith('.') || segment.StartsWith('.')));
            }
            current = next.Order(StringComparer.Ordinal).ToList();
        }
        return [.. current.Select(p => rooted || !p.StartsWith("./", StringComparison.Ordinal) ? p : p[2..])];
    }
}
