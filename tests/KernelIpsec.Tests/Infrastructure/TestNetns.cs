using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KernelIpsec.Tests.Infrastructure;

/// <summary>
/// A fresh network namespace for one test, deleted on dispose. Code that opens kernel
/// sockets runs through <see cref="Run{T}"/>: on a dedicated thread that joined the namespace,
/// so the sockets it creates belong to it for their whole life.
/// </summary>
public sealed class TestNetns : IDisposable
{
    private static int counter;

    public string Name { get; }

    private TestNetns(string name) => Name = name;

    /// <summary>Creates the namespace with loopback up. Call <see cref="Requirements.Root"/> first.</summary>
    public static TestNetns Create(string prefix = "kit")
    {
        var name = $"{prefix}-{Environment.ProcessId}-{Interlocked.Increment(ref counter)}";
        Shell.Run("ip", $"netns add {name}");
        var ns = new TestNetns(name);
        ns.Exec("ip link set lo up");
        return ns;
    }

    /// <summary>Runs a command line inside the namespace (with <paramref name="stdin"/> as its input); throws with its stderr when it fails.</summary>
    public string Exec(string commandLine, string? stdin = null) => Shell.Run("ip", $"netns exec {Name} {commandLine}", stdin);

    /// <summary>Runs a command line inside the namespace and returns exit code and output, never throws.</summary>
    public Shell.Result TryExec(string commandLine) => Shell.TryRun("ip", $"netns exec {Name} {commandLine}");

    /// <summary>Runs <paramref name="body"/> on a thread that is inside the namespace.</summary>
    public T Run<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var fd = File.OpenHandle($"/run/netns/{Name}");
                if (setns(fd.DangerousGetHandle().ToInt32(), CLONE_NEWNET) != 0)
                    throw new InvalidOperationException($"setns({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result;
    }

    public void Run(Action body) => Run(() => { body(); return 0; });

    public void Dispose() => Shell.TryRun("ip", $"netns del {Name}");

    private const int CLONE_NEWNET = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}

/// <summary>Runs external programs (ip, tcpdump, the built tools) for tests.</summary>
public static class Shell
{
    public readonly record struct Result(int ExitCode, string StdOut, string StdErr);

    public static Result TryRun(string file, string arguments, string? stdin = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin != null,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        if (stdin != null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} ran past {timeoutMs} ms");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string Run(string file, string arguments, string? stdin = null)
    {
        var r = TryRun(file, arguments, stdin);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"`{file} {arguments}` exited {r.ExitCode}: {r.StdErr.Trim()}");
        return r.StdOut;
    }

    /// <summary>Runs a bash script line (pipes, redirections).</summary>
    public static string Bash(string script) => Run("bash", "-c \"" + script.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"");
}
