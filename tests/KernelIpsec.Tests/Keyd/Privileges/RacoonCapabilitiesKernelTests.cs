using System.Diagnostics;
using KernelIpsec.Keyd.Privileges;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Privileges;

/// <summary>
/// The built racoon as root keeps only the capabilities it needs, on every thread, and still negotiates: two
/// racoons (one per network namespace) complete phase 1 and run a `script` hook under those limits. This kernel
/// has no ESP, so the Vm tier's racoon pairs (the same start-up) show the SAs installed.
/// </summary>
[TestFixture, Category(Tier.Kernel), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RacoonCapabilitiesKernelTests
{
    private const ulong NetBindService = 1UL << 10;
    private const ulong NetAdmin = 1UL << 12;
    private const ulong NetRaw = 1UL << 13;

    private static string Tool(string name) => Path.Combine(AppContext.BaseDirectory, name);

    private static readonly string Proposal = """
        exchange_mode main;
                proposal {
                        encryption_algorithm aes 128;
                        hash_algorithm sha1;
                        authentication_method pre_shared_key;
                        dh_group 14;
                }
        """;

    [Test]
    public void EveryThreadKeepsOnlyTheNeededCapabilitiesAndPhase1AndScriptsStillWork()
    {
        Requirements.Root();
        using var pair = NetnsPair.Create();
        var client = Directory("10.77.0.1", "10.77.0.2", $$"""
            remote 10.77.0.2 {
                    {{Proposal}}
                    script "hook.sh" phase1_up;
            }
            """);
        var server = Directory("10.77.0.2", "10.77.0.1", $$"""
            remote anonymous {
                    {{Proposal}}
                    passive on;
            }
            """);
        var hook = Path.Combine(client, "hook.sh");
        File.WriteAllText(hook, $"#!/bin/sh\ngrep -E '^Cap(Eff|Bnd):' /proc/self/status > \"{client}/hook.caps\"\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var serverRacoon = Start(pair.Right, server);
        var clientRacoon = Start(pair.Left, client);
        try
        {
            Assert.Multiple(() =>
            {
                AssertEveryThread(serverRacoon.Id, NetAdmin | NetBindService);
                AssertEveryThread(clientRacoon.Id, NetAdmin | NetBindService | NetRaw);
                Assert.That(File.ReadAllText(Path.Combine(server, "racoon.log")),
                    Does.Contain("capabilities: cap_net_admin (").And.Contain("cap_net_bind_service ("));
            });

            var connect = pair.Left.TryExec($"{Tool("racoonctl")} -s {Path.Combine(client, "racoon.sock")} establish-sa isakmp inet 10.77.0.1 10.77.0.2");
            Assert.That(connect.ExitCode, Is.Zero, connect.StdErr);
            var caps = Path.Combine(client, "hook.caps");
            WaitFor(() => File.Exists(caps) && File.ReadAllText(caps).Contains("CapBnd", StringComparison.Ordinal),
                () => "phase 1 never came up (phase1_up did not run): " + File.ReadAllText(Path.Combine(client, "racoon.log")));
            var show = pair.Right.TryExec($"{Tool("racoonctl")} -s {Path.Combine(server, "racoon.sock")} show-sa isakmp");
            Assert.Multiple(() =>
            {
                Assert.That(show.StdOut, Does.Contain("10.77.0.2.500").Or.Contain("10.77.0.1"), "the responder lists the phase 1 SA");
                // The hook runs as root with racoon's bounding set: no more than racoon itself.
                Assert.That(File.ReadAllText(caps), Does.Contain($"CapEff:\t{NetAdmin | NetBindService | NetRaw:x16}")
                    .And.Contain($"CapBnd:\t{NetAdmin | NetBindService | NetRaw:x16}"));
            });
        }
        finally
        {
            Stop(clientRacoon);
            Stop(serverRacoon);
            System.IO.Directory.Delete(client, recursive: true);
            System.IO.Directory.Delete(server, recursive: true);
        }
    }

    /// <summary>capset(2) is per thread: every thread of the daemon must show the reduced sets.</summary>
    private static void AssertEveryThread(int pid, ulong expected)
    {
        var tasks = System.IO.Directory.GetDirectories($"/proc/{pid}/task");
        Assert.That(tasks, Has.Length.GreaterThan(1), "racoon runs on several threads");
        foreach (var task in tasks)
        {
            var status = Path.Combine(task, "status");
            foreach (var field in new[] { "CapEff", "CapPrm", "CapBnd" })
                Assert.That(ProcessCapabilities.Read(status, field), Is.EqualTo(expected), $"{field} of thread {Path.GetFileName(task)}");
        }
    }

    private static string Directory(string address, string peer, string remote)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("keyd-caps").FullName;
        File.WriteAllText(Path.Combine(dir, "psk.txt"), $"{peer} kernel-tier-caps-secret\n");
        File.SetUnixFileMode(Path.Combine(dir, "psk.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(dir, "racoon.conf"), $$"""
            path pre_shared_key "{{dir}}/psk.txt";
            path pidfile "{{dir}}/racoon.pid";
            path script "{{dir}}";
            listen {
                    isakmp {{address}} [500];
                    adminsock "{{dir}}/racoon.sock" "root" "root" 0600;
            }
            {{remote}}
            sainfo anonymous {
                    pfs_group 14;
                    encryption_algorithm aes 128;
                    authentication_algorithm hmac_sha1;
                    compression_algorithm deflate;
            }
            """);
        return dir;
    }

    private static Process Start(TestNetns ns, string dir)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", ns.Name, Tool("racoon"), "-F", "-d", "-f", Path.Combine(dir, "racoon.conf"), "-l", Path.Combine(dir, "racoon.log") })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var log = Path.Combine(dir, "racoon.log");
        WaitFor(() => File.Exists(log) && File.ReadAllText(log).Contains("racoon management", StringComparison.Ordinal),
            () => $"racoon in {dir} did not start: {(File.Exists(log) ? File.ReadAllText(log) : "no log")}");
        return process;
    }

    private static void WaitFor(Func<bool> condition, Func<string> why, int timeoutMs = 20000)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.ElapsedMilliseconds > timeoutMs)
                Assert.Fail(why());
            Thread.Sleep(100);
        }
    }

    private static void Stop(Process racoon)
    {
        if (!racoon.HasExited)
        {
            racoon.Kill();
            racoon.WaitForExit(5000);
        }
        racoon.Dispose();
    }
}
