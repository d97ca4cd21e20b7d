using System.Diagnostics;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>The built racoon and racoonctl as processes in a fresh network namespace on this machine's kernel.</summary>
[TestFixture, Category(Tier.Kernel), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RacoonProcessKernelTests
{
    private static string Tool(string name) => Path.Combine(AppContext.BaseDirectory, name);

    private sealed class RacoonProcess : IDisposable
    {
        public required Process Process { get; init; }
        public required string Dir { get; init; }
        public string Log => Path.Combine(Dir, "racoon.log");
        public string Socket => Path.Combine(Dir, "racoon.sock");
        public string PidFile => Path.Combine(Dir, "racoon.pid");

        public string LogText() => File.Exists(Log) ? File.ReadAllText(Log) : "";

        public void WaitForLog(string text, int timeoutMs = 20000)
        {
            var watch = Stopwatch.StartNew();
            while (!LogText().Contains(text, StringComparison.Ordinal))
            {
                if (watch.ElapsedMilliseconds > timeoutMs || Process.HasExited)
                    Assert.Fail($"racoon log never showed \"{text}\" (exited: {Process.HasExited}); log:\n{LogText()}");
                Thread.Sleep(100);
            }
        }

        public void Signal(string name) => Shell.Run("kill", $"-{name} {Process.Id}");

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(5000);
            }
            Process.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    private static RacoonProcess Start(TestNetns ns, string listen = "isakmp 127.0.0.1 [500];\n                    isakmp ::1 [500];", string topLevel = "", params string[] flags) =>
        Start(ns, _ => { }, listen, topLevel, flags);

    /// <summary>As above; <paramref name="prepare"/> gets the racoon directory before racoon starts.</summary>
    private static RacoonProcess Start(TestNetns ns, Action<string> prepare, string listen, string topLevel, params string[] flags) =>
        Start(ns, prepare, listen, topLevel, [], flags);

    /// <summary>As above, racoon exec'd through <paramref name="wrapper"/> (e.g. nohup), which keeps its pid.</summary>
    private static RacoonProcess Start(TestNetns ns, Action<string> prepare, string listen, string topLevel, string[] wrapper, params string[] flags)
    {
        var dir = WriteConfig(listen, topLevel);
        prepare(dir);
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", ns.Name }.Concat(wrapper).Concat([Tool("racoon"), "-F", "-d", "-f", Path.Combine(dir, "racoon.conf"), "-l", Path.Combine(dir, "racoon.log")]).Concat(flags))
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var racoon = new RacoonProcess { Process = process, Dir = dir };
        racoon.WaitForLog("racoon management");
        return racoon;
    }

    /// <summary>A directory with racoon.conf (listening as <paramref name="listen"/>, <paramref name="topLevel"/> first) and psk.txt.</summary>
    private static string WriteConfig(string listen, string topLevel)
    {
        var dir = Directory.CreateTempSubdirectory("keyd-proc").FullName;
        File.WriteAllText(Path.Combine(dir, "psk.txt"), "10.77.0.2 kernel-tier-secret\n");
        File.SetUnixFileMode(Path.Combine(dir, "psk.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(dir, "racoon.conf"), $$"""
            {{topLevel}}
            path pre_shared_key "{{dir}}/psk.txt";
            path pidfile "{{dir}}/racoon.pid";
            listen {
                    {{listen}}
                    adminsock "{{dir}}/racoon.sock" "root" "root" 0600;
            }
            remote anonymous {
                    exchange_mode main;
                    proposal {
                            encryption_algorithm aes 128;
                            hash_algorithm sha1;
                            authentication_method pre_shared_key;
                            dh_group 14;
                    }
            }
            sainfo anonymous {
                    pfs_group 14;
                    encryption_algorithm aes 128;
                    authentication_algorithm hmac_sha1;
                    compression_algorithm deflate;
            }
            """);
        return dir;
    }

    [Test]
    public void RacoonctlShowEventPrintsTheTerminationAndEnds()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        using var racoon = Start(ns);
        var psi = new ProcessStartInfo(Tool("racoonctl")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-s", racoon.Socket, "show-event" })
            psi.ArgumentList.Add(a);
        using var showEvent = Process.Start(psi)!;
        var output = showEvent.StandardOutput.ReadToEndAsync();
        var errors = showEvent.StandardError.ReadToEndAsync();
        Thread.Sleep(1000);
        Assert.That(showEvent.HasExited, Is.False, "show-event keeps listening");

        racoon.Signal("TERM");
        Assert.That(showEvent.WaitForExit(20000), Is.True, "racoonctl show-event did not end with racoon");
        Assert.That((showEvent.ExitCode, output.Result, errors.Result), Is.EqualTo((0, "Racoon terminated : unknown -> unknown\n", "")));
    }

    [Test]
    public void AStartAfterACrashRemovesTheSasListedBesideThePidFileAndNoOthers()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        // Larval SAs (ALLOCSPI works on this kernel without ESP): 0x5000 as if racoon's previous run had
        // allocated it and then been killed, 0x6000 someone else's.
        ns.Exec("ip xfrm state allocspi src 10.77.0.2 dst 10.77.0.1 proto esp min 0x5000 max 0x5000");
        ns.Exec("ip xfrm state allocspi src 10.77.0.2 dst 10.77.0.1 proto esp min 0x6000 max 0x6000");

        using var racoon = Start(ns, dir => File.WriteAllText(Path.Combine(dir, "racoon.sas"), "esp 10.77.0.2 10.77.0.1 0x00005000\n"),
            "isakmp 127.0.0.1 [500];", "");

        var states = ns.Exec("ip xfrm state");
        Assert.That(states, Does.Not.Contain("spi 0x00005000").And.Contain("spi 0x00006000"));
        Assert.That(racoon.LogText(), Does.Contain($"INFO: the previous racoon run did not exit cleanly: removing the 1 SAs it installed (listed in {racoon.Dir}/racoon.sas)"));
        Assert.That(File.ReadAllText(Path.Combine(racoon.Dir, "racoon.sas")), Does.Not.Contain("0x00005000"));
        racoon.Signal("TERM");
        Assert.That(racoon.Process.WaitForExit(20000), Is.True);
        Assert.That(File.Exists(Path.Combine(racoon.Dir, "racoon.sas")), Is.False, "a clean exit leaves no list behind");
        Assert.That(ns.Exec("ip xfrm state"), Does.Contain("spi 0x00006000"));
    }

    [Test]
    public void MinusFourAndMinusSixKeepOneAddressFamily()
    {
        Requirements.Root();
        using (var ns = TestNetns.Create())
        using (var racoon = Start(ns, listen: "isakmp 127.0.0.1 [500];\n                    isakmp ::1 [500];", topLevel: "", "-4"))
        {
            var sockets = ns.Exec("ss -uln");
            Assert.That(sockets, Does.Contain("127.0.0.1:500").And.Not.Contain("[::1]:500"));
            Assert.That(racoon.LogText(), Does.Contain("WARNING: listen address ::1 ignored: racoon runs with -4 (IPv4 only)"));
        }
        using (var ns = TestNetns.Create())
        using (var racoon = Start(ns, listen: "", topLevel: "", "-6"))
        {
            // No isakmp lines: every local address of the family, here the namespace's ::1 only.
            var sockets = ns.Exec("ss -uln");
            Assert.That(sockets, Does.Contain("[::1]:500").And.Not.Contain("127.0.0.1:500"));
        }
    }

    [Test]
    public void KernelStatementInRacoonConfChoosesTheInterfaceAndTheFlagOverridesIt()
    {
        Requirements.Root();
        if (File.Exists("/proc/net/pfkey"))
            Assert.Ignore("this kernel has PF_KEY; the test tells the choice by PF_KEY's absence");
        using var ns = TestNetns.Create();
        var dir = WriteConfig("isakmp 127.0.0.1 [500];", "kernel pfkey;");
        try
        {
            var conf = Path.Combine(dir, "racoon.conf");
            var refused = ns.TryExec($"{Tool("racoon")} -F -f {conf} -l {dir}/racoon.log");
            Assert.That(refused.ExitCode, Is.EqualTo(1));
            Assert.That(refused.StdErr, Does.Contain("PF_KEY not available"));
            Assert.That(File.ReadAllText($"{dir}/racoon.log"), Does.Contain($"INFO: kernel interface: pfkey (from {conf}:1:1)"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        using var racoon = Start(ns, listen: "isakmp 127.0.0.1 [500];", topLevel: "kernel pfkey;", "--kernel", "xfrm");
        Assert.That(racoon.LogText(), Does.Contain("INFO: kernel interface: xfrm (from --kernel)"));
    }

    [Test]
    public void SocketsCarryBypassPoliciesAndThePidFileIsWritten()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        using var racoon = Start(ns);

        var policies = ns.Exec("ip xfrm policy");
        Assert.That(policies.Split('\n').Count(l => l.Contains("socket in", StringComparison.Ordinal)), Is.EqualTo(2), policies);
        Assert.That(policies.Split('\n').Count(l => l.Contains("socket out", StringComparison.Ordinal)), Is.EqualTo(2), policies);
        Assert.That(ns.Exec("ss -uln"), Does.Contain("127.0.0.1:500").And.Contain("[::1]:500"));
        Assert.That(File.ReadAllText(racoon.PidFile), Is.EqualTo($"{racoon.Process.Id}\n").Or.Not.Empty);
        var pid = int.Parse(File.ReadAllText(racoon.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(File.ReadAllText($"/proc/{pid}/comm").Trim(), Is.EqualTo("racoon"));
        Assert.That(racoon.LogText(), Does.Contain(": INFO: 127.0.0.1[500] used as isakmp port"));
    }

    [Test]
    public void RacoonctlRoundTripSighupAndSigterm()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        using var racoon = Start(ns);

        var show = Shell.TryRun(Tool("racoonctl"), $"-s {racoon.Socket} show-sa isakmp");
        Assert.That((show.ExitCode, show.StdOut), Is.EqualTo((0, "Destination            Cookies                           Created\n")), show.StdErr);
        var esp = Shell.TryRun(Tool("racoonctl"), $"-s {racoon.Socket} show-sa esp");
        Assert.That((esp.ExitCode, esp.StdOut), Is.EqualTo((0, "No SAD entries.\n")), esp.StdErr);

        racoon.Signal("HUP");
        racoon.WaitForLog("configuration reloaded");
        Assert.That(racoon.Process.HasExited, Is.False);
        Assert.That(racoon.LogText().Split('\n').Count(l => l.EndsWith($"DEBUG: open {racoon.Socket} as racoon management.", StringComparison.Ordinal)), Is.EqualTo(1),
            "the admin socket is opened and logged once, at start; a reload keeps it");

        racoon.Signal("TERM");
        Assert.That(racoon.Process.WaitForExit(20000), Is.True, racoon.LogText());
        Assert.That(racoon.Process.ExitCode, Is.Zero);
        Assert.That(racoon.LogText(), Does.Contain($"INFO: racoon process {racoon.Process.Id} shutdown").Or.Contain("shutdown"));
        Assert.That(File.Exists(racoon.PidFile), Is.False);
        Assert.That(File.Exists(racoon.Socket), Is.False);
        Assert.That(ns.Exec("ip xfrm policy"), Does.Not.Contain("socket"));
    }

    [Test]
    public void SighupReloadsAndSigtermStopsWhenStartedUnderNohup()
    {
        // nohup (and a shell's background job) hands racoon SIGHUP (SIGINT) ignored; racoon still answers them.
        Requirements.Root();
        using var ns = TestNetns.Create();
        using var racoon = Start(ns, _ => { }, "isakmp 127.0.0.1 [500];", "", wrapper: ["nohup"]);

        racoon.Signal("HUP");
        racoon.WaitForLog("configuration reloaded");
        Assert.That(racoon.Process.HasExited, Is.False);

        racoon.Signal("TERM");
        Assert.That(racoon.Process.WaitForExit(20000), Is.True, racoon.LogText());
        Assert.That(racoon.Process.ExitCode, Is.Zero);
    }

    [Test]
    public void KernelAcquireStartsPhaseOneFromTheListenAddress()
    {
        Requirements.Root();
        using var pair = NetnsPair.Create();
        using var racoon = Start(pair.Left, listen: "isakmp 10.77.0.1 [500];");
        pair.Left.Exec("ip xfrm policy add src 10.77.0.1/32 dst 10.77.0.2/32 proto udp dir out tmpl proto esp mode transport level required");
        pair.Left.TryExec("bash -c \"echo trigger > /dev/udp/10.77.0.2/9\"");
        racoon.WaitForLog("IPsec-SA request for 10.77.0.2 queued due to no phase1 found.");
        racoon.WaitForLog("initiate new phase 1 negotiation: 10.77.0.1[500]<=>10.77.0.2[500]");
        // The first main mode packet leaves the daemon's socket for the peer (nobody answers there).
        var captured = pair.Right.TryExec("timeout 30 tcpdump -c 1 -n -i veth-r udp port 500");
        Assert.That(captured.StdOut, Does.Contain("10.77.0.1.500 > 10.77.0.2.500"), captured.StdErr);
    }
}
