using KernelIpsec.Keyd.Config;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

/// <summary>A temporary directory for configuration files, removed on dispose.</summary>
internal sealed class ConfigTestFiles : IDisposable
{
    public ConfigTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kipsec-config-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string Write(string relativePath, string content, UnixFileMode? mode = null)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (mode is { } m && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, m);
        return path;
    }

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Parses text and fails the test with every diagnostic if it has errors.</summary>
    public static global::KernelIpsec.Ike.Config.RacoonConfig ParseOk(string text, string name = "racoon.conf")
    {
        var result = RacoonConfLoader.ReadText(text, name);
        Assert.That(result.Errors, Is.Empty, () => string.Join("\n", result.Diagnostics));
        return result.Config!;
    }

    /// <summary>Parses text expected to fail and returns the first error.</summary>
    public static ConfigDiagnostic FirstError(string text, string name = "racoon.conf")
    {
        var result = RacoonConfLoader.ReadText(text, name);
        Assert.That(result.Succeeded, Is.False, "expected an error");
        return result.Errors.First();
    }
}
