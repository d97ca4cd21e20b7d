namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// The .deb and .rpm made by packaging/build-packages.sh, the one documented command,
/// into a directory of the test's own. It packages the binaries scripts/publish.sh left
/// in artifacts/bin (./test.sh publishes them first) and publishes them itself only when
/// they are missing.
/// </summary>
public sealed record BuiltPackages(string Version, string Deb, string Rpm, string Directory)
{
    public static BuiltPackages Build(string repository, string outDirectory)
    {
        var version = File.ReadAllText(Path.Combine(repository, "packaging", "VERSION")).Trim();
        var published = new[] { "setkey", "racoon", "racoonctl" }
            .All(tool => File.Exists(Path.Combine(repository, "artifacts", "bin", tool)));
        var argv = new List<string> { Path.Combine(repository, "packaging", "build-packages.sh"), "--out", outDirectory };
        if (published)
            argv.Add("--no-publish");
        Command.Check(argv, timeoutMs: 1_200_000);

        var deb = Path.Combine(outDirectory, $"kernelipsec_{version}_amd64.deb");
        var rpm = Path.Combine(outDirectory, $"kernelipsec-{version}-1.x86_64.rpm");
        foreach (var file in new[] { deb, rpm })
        {
            if (!File.Exists(file))
                throw new FileNotFoundException($"build-packages.sh did not write {file}");
        }
        return new BuiltPackages(version, deb, rpm, outDirectory);
    }
}
