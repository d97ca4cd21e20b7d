namespace KernelIpsec.Ike.Config;

/// <summary>A file named in the configuration, as written (relative names resolve against a `path` directory).</summary>
public sealed record FileReference(string Path, SourceLocation? Location = null)
{
    /// <summary>The file's path, joined to <paramref name="directory"/> when relative and a directory is configured.</summary>
    public string Resolve(string? directory) =>
        System.IO.Path.IsPathRooted(Path) || string.IsNullOrEmpty(directory) ? Path : System.IO.Path.Combine(directory, Path);

    public override string ToString() => Path;
}
