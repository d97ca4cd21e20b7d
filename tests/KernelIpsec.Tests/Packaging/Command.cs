using System.Diagnostics;

namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// Runs a program with an argument vector (no shell quoting), for the packaging tests,
/// which drive dpkg, apt, rpm, debootstrap, unshare and chroot.
/// </summary>
public static class Command
{
    public readonly record struct Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>Both streams, for assertion messages.</summary>
        public string Output => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }

    public static Result Run(IReadOnlyList<string> argv, string? stdin = null, int timeoutMs = 300_000,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
            psi.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {argv[0]}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin != null)
            p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{string.Join(' ', argv)}` ran past {timeoutMs / 1000} s");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and throws with the program's output unless it exits 0.</summary>
    public static string Check(IReadOnlyList<string> argv, string? stdin = null, int timeoutMs = 300_000)
    {
        var r = Run(argv, stdin, timeoutMs);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"`{string.Join(' ', argv)}` failed:\n{r.Output}");
        return r.StdOut;
    }

    public static bool Exists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}
