using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// Our racoon as a real process in one test namespace (`ip netns exec NS racoon -F -f CONF -l LOG`,
/// ip execs racoon, so the pid is the daemon's). <see cref="Start"/> returns only once the daemon
/// listens on UDP 500: it reads the SPD before it opens its sockets, so from then on a trigger
/// packet's ACQUIRE reaches it (a packet sent earlier is lost and the larval SA then blocks new
/// ACQUIREs for 30 s, the interop rig's "start-up race").
/// </summary>
public sealed class RacoonProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder console = new();

    public string Name { get; }
    public TestNetns Namespace { get; }
    public string ConfigPath { get; }
    public string LogPath { get; }
    public int Pid { get; }

    private RacoonProcess(string name, TestNetns ns, string configPath, string logPath, Process process)
    {
        Name = name;
        Namespace = ns;
        ConfigPath = configPath;
        LogPath = logPath;
        this.process = process;
        Pid = process.Id;
    }

    /// <param name="name">For logs and failure dumps, e.g. "left racoon".</param>
    /// <param name="extraArguments">More racoon flags, e.g. "--kernel pfkey".</param>
    /// <param name="bindMounts">Files bind-mounted over others for this racoon only (e.g. /etc/passwd and /etc/shadow with
    /// test accounts): `ip netns exec` gives the daemon a mount namespace of its own, bash mounts them and execs racoon.</param>
    public static RacoonProcess Start(string name, TestNetns ns, string configPath, string logPath, string listenAddress,
        string extraArguments = "", TimeSpan? readyTimeout = null, IReadOnlyList<(string Source, string Target)>? bindMounts = null)
    {
        var tool = ProductTools.Racoon;
        var psi = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add("netns");
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(ns.Name);
        if (bindMounts is { Count: > 0 })
        {
            var mounts = string.Concat(bindMounts.Select((m, i) => $"mount --bind \"${{{2 * i + 1}}}\" \"${{{2 * i + 2}}}\" && "));
            foreach (var a in new[] { "bash", "-c", $"{mounts}shift {2 * bindMounts.Count} && exec \"$@\"", "_" })
                psi.ArgumentList.Add(a);
            foreach (var (source, target) in bindMounts)
            {
                psi.ArgumentList.Add(source);
                psi.ArgumentList.Add(target);
            }
        }
        foreach (var a in new[] { tool.Executable }.Concat(tool.Prefix))
            psi.ArgumentList.Add(a);
        foreach (var a in new[] { "-F", "-d", "-f", configPath, "-l", logPath })
            psi.ArgumentList.Add(a);
        foreach (var a in extraArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            psi.ArgumentList.Add(a);
        if (File.Exists(logPath))
            File.Delete(logPath);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {tool}");
        var racoon = new RacoonProcess(name, ns, configPath, logPath, process);
        process.OutputDataReceived += (_, e) => racoon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => racoon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // The Debug dll JIT-compiles its start-up under the VM's software emulation: minutes, not seconds.
            var jit = tool.Prefix.Count > 0;
            racoon.WaitUntilListening(listenAddress, readyTimeout ?? TimeSpan.FromSeconds(jit ? 240 : 90));
        }
        catch
        {
            racoon.Dispose();
            throw;
        }
        return racoon;
    }

    public bool HasExited => process.HasExited;

    /// <summary>What racoon printed on stdout/stderr (with -l its log goes to <see cref="LogPath"/>).</summary>
    public string Console
    {
        get
        {
            lock (console)
                return console.ToString();
        }
    }

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log file " + LogPath + ")";

    /// <summary>Everything a failure report needs about this daemon.</summary>
    public string Report() =>
        $"===== {Name} (pid {Pid}, {(process.HasExited ? "exited " + process.ExitCode : "running")}), log {LogPath}\n{Log}\n" +
        $"===== {Name} console\n{Console}";

    /// <summary>SIGTERM and wait for the clean exit (racoon sends DELETEs and removes its SAs); true when it exited in time.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        if (process.HasExited)
            return true;
        _ = kill(Pid, SIGTERM);
        return process.WaitForExit(timeout);
    }

    /// <summary>SIGKILL: the daemon vanishes without a word, its SAs stay in the kernel (a crash).</summary>
    public void KillHard()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        if (!Terminate(TimeSpan.FromSeconds(10)))
            KillHard();
        process.Dispose();
    }

    private void WaitUntilListening(string address, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var needle = address + ":500 ";
        while (true)
        {
            if (Namespace.TryExec("ss -ulnH").StdOut.Contains(needle, StringComparison.Ordinal))
                return;
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before listening on {address}:500\n{Report()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} did not listen on {address}:500 within {timeout.TotalSeconds} s\n{Report()}");
            Thread.Sleep(200);
        }
    }

    private void Append(string? line)
    {
        if (line == null)
            return;
        lock (console)
            console.AppendLine(line);
    }

    private const int SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
