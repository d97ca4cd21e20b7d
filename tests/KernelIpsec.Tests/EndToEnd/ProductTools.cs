namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Where the product's command-line tools are for a test that runs them as real processes:
/// the NativeAOT binaries in artifacts/bin (what ./test.sh publishes and a user installs), or,
/// when those are missing or older than the Debug build (a developer iterating), the Debug
/// dlls through `dotnet` (correct, but under the VM's emulation their JIT start-up takes minutes:
/// run scripts/publish.sh before a Vm run). Either way a test starts them with <see cref="Command"/>.
/// </summary>
public static class ProductTools
{
    /// <summary>A program to start: the executable and the arguments that come before the tool's own.</summary>
    public sealed record Tool(string Name, string Executable, IReadOnlyList<string> Prefix)
    {
        /// <summary>The command line as one string for a shell or `ip netns exec`.</summary>
        public string CommandLine(string arguments) =>
            string.Join(' ', new[] { Executable }.Concat(Prefix).Select(Quote)) + (arguments.Length > 0 ? " " + arguments : "");

        public override string ToString() => CommandLine("");
    }

    public static Tool Racoon => Locate("racoon", Path.Combine("src", "Keyd"));

    public static Tool Setkey => Locate("setkey", Path.Combine("src", "Setkey"));

    public static Tool Racoonctl => Locate("racoonctl", Path.Combine("src", "Keyd", "Ctl"));

    /// <summary>The repository root: the first directory above the test assembly holding KernelIpsec.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "KernelIpsec.sln")))
                    return dir.FullName;
            }
            throw new InvalidOperationException($"no KernelIpsec.sln above {AppContext.BaseDirectory}");
        }
    }

    private static Tool Locate(string name, string projectDirectory)
    {
        var root = RepositoryRoot;
        var published = Path.Combine(root, "artifacts", "bin", name);
        var dll = Path.Combine(root, projectDirectory, "bin", "Debug", "net10.0", name + ".dll");
        var haveDll = File.Exists(dll);
        if (File.Exists(published) && (!haveDll || File.GetLastWriteTimeUtc(published) >= NewestBuildOutput(dll)))
            return new Tool(name, published, []);
        if (haveDll)
            return new Tool(name, "dotnet", [dll]);
        throw new InvalidOperationException($"{name} is not built: neither {published} (scripts/publish.sh) nor {dll} (dotnet build)");
    }

    /// <summary>
    /// The newest of the tool's dll and the project dlls next to it: a change in a library (Ike, Netlink) leaves
    /// the tool's own dll untouched when the library's public surface stays the same.
    /// </summary>
    private static DateTime NewestBuildOutput(string dll) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(dll)!, "KernelIpsec.*.dll").Append(dll).Max(File.GetLastWriteTimeUtc);

    // Shell.TryRun hands the line to ProcessStartInfo, which splits on blanks and honours double quotes.
    private static string Quote(string s) => s.Any(char.IsWhiteSpace) ? "\"" + s + "\"" : s;
}
