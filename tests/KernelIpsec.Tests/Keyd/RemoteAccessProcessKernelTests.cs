using System.Diagnostics;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>
/// Two built racoons (10.77.0.1 and 10.77.0.2, one per network namespace) and racoonctl as a user runs them: vpn-connect
/// with the password on stdin, the phase1_up and phase1_down scripts with racoon's environment. Phase 1 only (this
/// kernel has no ESP).
/// </summary>
[TestFixture, Category(Tier.Kernel), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RemoteAccessProcessKernelTests
{
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

    private static string Directory(string address, string peer, string remote)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("keyd-ra").FullName;
        File.WriteAllText(Path.Combine(dir, "psk.txt"), $"{peer} kernel-tier-ra-secret\n");
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
        WaitFor(() => File.Exists(Path.Combine(dir, "racoon.log")) && File.ReadAllText(Path.Combine(dir, "racoon.log")).Contains("racoon management", StringComparison.Ordinal),
            () => $"racoon in {dir} did not start: {(File.Exists(Path.Combine(dir, "racoon.log")) ? File.ReadAllText(Path.Combine(dir, "racoon.log")) : "no log")}");
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

    [Test]
    public void VpnConnectReadsThePasswordFromStdinAndTheHooksSeeRacoonsEnvironment()
    {
        Requirements.Root();
        using var pair = NetnsPair.Create();
        var ns = pair.Left;
        var client = Directory("10.77.0.1", "10.77.0.2", $$"""
            remote 10.77.0.2 {
                    {{Proposal}}
                    script "hook.sh" phase1_up;
                    script "hook.sh" phase1_down;
            }
            """);
        var server = Directory("10.77.0.2", "10.77.0.1", $$"""
            remote anonymous {
                    {{Proposal}}
                    passive on;
            }
            """);
        var hook = Path.Combine(client, "hook.sh");
        File.WriteAllText(hook, $"#!/bin/sh\necho \"$1 LOCAL_ADDR=$LOCAL_ADDR REMOTE_ADDR=$REMOTE_ADDR REMOTE_PORT=$REMOTE_PORT INTERNAL_ADDR4=$INTERNAL_ADDR4 INTERNAL_CIDR4=$INTERNAL_CIDR4\" >> \"{client}/hook.out\"\necho hook ran for $1\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var serverRacoon = Start(pair.Right, server);
        var clientRacoon = Start(ns, client);
        try
        {
            var socket = Path.Combine(client, "racoon.sock");
            var connect = ns.TryExec($"{Tool("racoonctl")} -s {socket} vpn-connect -u ikev1rig 10.77.0.2");
            var hookOut = Path.Combine(client, "hook.out");
            Assert.That(connect.ExitCode, Is.Zero, connect.StdErr + File.ReadAllText(Path.Combine(client, "racoon.log")));
            Assert.That((connect.StdOut, connect.StdErr), Is.EqualTo(("VPN connexion established\n", "Password: ")));

            WaitFor(() => File.Exists(hookOut) && File.ReadAllText(hookOut).Contains("phase1_up", StringComparison.Ordinal), () => "phase1_up never ran");
            Assert.That(File.ReadAllText(hookOut), Is.EqualTo("phase1_up LOCAL_ADDR=10.77.0.1 REMOTE_ADDR=10.77.0.2 REMOTE_PORT=500 INTERNAL_ADDR4= INTERNAL_CIDR4=0\n"));
            WaitFor(() => File.ReadAllText(Path.Combine(client, "racoon.log")).Contains("INFO: phase1_up: hook ran for phase1_up", StringComparison.Ordinal),
                () => "the script's output is not in the log");

            var disconnect = ns.TryExec($"{Tool("racoonctl")} -s {socket} vpn-disconnect 10.77.0.2");
            Assert.That((disconnect.ExitCode, disconnect.StdOut), Is.EqualTo((0, "Phase 1 deleted : 10.77.0.1[500] -> 10.77.0.2[500]\n")), disconnect.StdErr);
            WaitFor(() => File.ReadAllText(hookOut).Contains("phase1_down", StringComparison.Ordinal), () => "phase1_down never ran");
            Assert.That(File.ReadAllLines(hookOut)[1], Is.EqualTo("phase1_down LOCAL_ADDR=10.77.0.1 REMOTE_ADDR=10.77.0.2 REMOTE_PORT=500 INTERNAL_ADDR4= INTERNAL_CIDR4=0"));
        }
        finally
        {
            Stop(clientRacoon);
            Stop(serverRacoon);
            System.IO.Directory.Delete(client, recursive: true);
            System.IO.Directory.Delete(server, recursive: true);
        }
    }

    /// <summary>A directive this racoon does not honour is named, where it is written, by --check and in the start-up log.</summary>
    [Test]
    public void AnUnsupportedDirectiveIsWarnedAboutByCheckAndAtStart()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        var dir = Directory("127.0.0.1", "127.0.0.2", $"remote 127.0.0.2 {{\n        {Proposal}\n        ike_frag on;\n}}");
        var warning = $"{Path.Combine(dir, "racoon.conf")}:16:9: warning: ike_frag on is not supported by this racoon: no IKE fragmentation: a message larger than the path's MTU is sent whole (IP fragments)";
        try
        {
            var check = ns.TryExec($"{Tool("racoon")} --check -f {Path.Combine(dir, "racoon.conf")}");
            Assert.That(check.ExitCode, Is.Zero, check.StdOut + check.StdErr);
            Assert.That(check.StdOut, Does.Contain(warning + "\n"));
            var racoon = Start(ns, dir);
            Stop(racoon);
            Assert.That(File.ReadAllText(Path.Combine(dir, "racoon.log")), Does.Contain("WARNING: " + warning));
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void RacoonRefusesToStartWithARadiusAuthSource()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        var dir = Directory("127.0.0.1", "127.0.0.2", "mode_cfg {\n        auth_source radius;\n}");
        try
        {
            var conf = Path.Combine(dir, "racoon.conf");
            var check = ns.TryExec($"{Tool("racoon")} --check -f {conf}");
            Assert.That(check.ExitCode, Is.EqualTo(1));
            Assert.That(check.StdOut + check.StdErr, Does.Contain($"{conf}:9:9: error: auth_source radius is not supported by this racoon: use system or pam"));
            var start = ns.TryExec($"{Tool("racoon")} -F -f {conf} -l {dir}/racoon.log");
            Assert.That(start.ExitCode, Is.Not.Zero);
            Assert.That(start.StdErr, Does.Contain($"{conf}:9:9: error: auth_source radius is not supported by this racoon: use system or pam"));
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }
}
