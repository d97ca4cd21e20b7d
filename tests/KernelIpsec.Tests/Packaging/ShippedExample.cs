namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// The configuration files the packages install (packaging/etc), and the same files with
/// their commented examples switched on. They follow Debian's convention: `##` starts an
/// explanation, a single `#` comments out a line of the example.
/// </summary>
public static class ShippedExample
{
    public static string PathOf(string relative) => Path.Combine(RepositoryRoot.Find(), "packaging", "etc", relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The file with every example line uncommented and the explanations dropped.</summary>
    public static string Uncommented(string relative)
    {
        var lines = new List<string>();
        foreach (var line in File.ReadAllLines(PathOf(relative)))
        {
            if (line.StartsWith("##", StringComparison.Ordinal))
                continue;
            if (line == "#")
                lines.Add("");
            else if (line.StartsWith("# ", StringComparison.Ordinal))
                lines.Add(line[2..]);
            else if (line.StartsWith("#\t", StringComparison.Ordinal))
                lines.Add(line[1..]);
            else
                lines.Add(line);
        }
        return string.Join('\n', lines) + "\n";
    }
}
