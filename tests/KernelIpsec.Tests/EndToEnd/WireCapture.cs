using System.Diagnostics;
using System.Runtime.InteropServices;
using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.EndToEnd;

/// <summary>
/// tcpdump on one namespace's veth into a pcap file, read back as text: what is on the wire.
/// In transport mode the capture shows inbound ESP before the kernel decrypts it and outbound
/// ESP after it encrypted, never the plaintext.
/// </summary>
public sealed class WireCapture : IDisposable
{
    private readonly Process process;
    private readonly string pcap;

    private WireCapture(Process process, string pcap)
    {
        this.process = process;
        this.pcap = pcap;
    }

    public static bool IsInstalled => File.Exists("/usr/bin/tcpdump") || File.Exists("/usr/sbin/tcpdump");

    public static WireCapture Start(TestNetns ns, string device, string pcapPath, string filter)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", ns.Name, "tcpdump", "-U", "-nni", device, "-w", pcapPath })
            psi.ArgumentList.Add(a);
        foreach (var a in filter.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start tcpdump");
        // tcpdump announces "listening on ..." on stderr once the capture is open.
        var line = process.StandardError.ReadLine();
        if (line == null || !line.Contains("listening", StringComparison.Ordinal))
            throw new InvalidOperationException($"tcpdump did not start: {line}{process.StandardError.ReadToEnd()}");
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        return new WireCapture(process, pcapPath);
    }

    /// <summary>Stops the capture and returns tcpdump's one-line-per-packet text of it.</summary>
    public string StopAndRead()
    {
        Stop();
        return Shell.TryRun("tcpdump", $"-nnr {pcap}").StdOut;
    }

    /// <summary>How many captured packets match a tcpdump filter (after <see cref="StopAndRead"/>).</summary>
    public int Count(string filter)
    {
        Stop();
        var text = Shell.TryRun("tcpdump", $"-nnr {pcap} {filter}").StdOut;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }

    private void Stop()
    {
        if (process.HasExited)
            return;
        _ = kill(process.Id, 2); // SIGINT: tcpdump closes the file cleanly
        if (!process.WaitForExit(5000))
            process.Kill();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
