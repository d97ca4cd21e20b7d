using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>
/// The built racoon as systemd runs it (racoon.service: Type=notify, stderr on the journal), without systemd:
/// the test plays systemd's part, listening on a NOTIFY_SOCKET and handing over a JOURNAL_STREAM.
/// </summary>
[TestFixture, Category(Tier.Kernel), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RacoonSystemdKernelTests
{
    private static string Tool(string name) => Path.Combine(AppContext.BaseDirectory, name);

    [Test]
    public void ReadyComesOnceTheIkeSocketIsBoundReloadAndStopAreAnnounced()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        var dir = WriteConfig();
        try
        {
            var notifyPath = Path.Combine(dir, "notify");
            using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
            notify.ReceiveTimeout = 30_000;
            using var racoon = StartRacoon(ns, dir, [Tool("racoon"), "-F", "-d", "-f", Path.Combine(dir, "racoon.conf"), "-l", Path.Combine(dir, "racoon.log")],
                ("NOTIFY_SOCKET", notifyPath));

            var ready = Receive(notify, racoon);
            // Checked at once: by the time systemd hears READY=1, peers can reach the daemon and it has the kernel's SPD.
            var udp = ns.Exec("ss -ulnH");
            var log = File.ReadAllText(Path.Combine(dir, "racoon.log"));
            Assert.Multiple(() =>
            {
                Assert.That(ready, Does.StartWith("READY=1\n").And.Contain($"MAINPID={racoon.Id}"));
                Assert.That(udp, Does.Contain("127.0.0.1:500 "), "the IKE socket is bound when READY=1 arrives");
                Assert.That(File.Exists(Path.Combine(dir, "racoon.sock")), Is.True, "the admin socket exists when READY=1 arrives");
                Assert.That(log, Does.Contain("SPD mirrored"), "the kernel's SPD is read (after the event subscription) when READY=1 arrives");
            });

            Shell.Run("kill", $"-HUP {racoon.Id}");
            Assert.That(Receive(notify, racoon), Does.Match(@"^RELOADING=1\nMONOTONIC_USEC=[0-9]+$"));
            Assert.That(Receive(notify, racoon), Is.EqualTo("READY=1"), "reload done");

            Shell.Run("kill", $"-TERM {racoon.Id}");
            Assert.That(Receive(notify, racoon), Is.EqualTo("STOPPING=1"));
            Assert.That(racoon.WaitForExit(20_000), Is.True, "racoon exits after STOPPING=1");
            Assert.That(racoon.ExitCode, Is.Zero);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void OnTheJournalStreamEachLineCarriesItsSyslogPriority()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        var dir = WriteConfig();
        try
        {
            // systemd connects stderr to a socket and names it in JOURNAL_STREAM; a file stands in for the socket.
            var stream = Path.Combine(dir, "journal");
            File.WriteAllText(stream, "");
            var identity = Shell.Run("stat", $"-c %d:%i {stream}").Trim();
            var conf = Path.Combine(dir, "racoon.conf");
            using var racoon = StartRacoon(ns, dir, ["bash", "-c", $"exec {Tool("racoon")} -F -d -f {conf} 2>>{stream}"], ("JOURNAL_STREAM", identity));
            WaitFor(() => File.ReadAllText(stream).Contains("racoon management", StringComparison.Ordinal), racoon, stream);

            // A broken configuration on SIGHUP is logged as an error and the daemon keeps running.
            File.AppendAllText(conf, "\nthis is not racoon.conf;\n");
            Shell.Run("kill", $"-HUP {racoon.Id}");
            WaitFor(() => File.ReadAllText(stream).Contains("failed to reload", StringComparison.Ordinal), racoon, stream);
            Shell.Run("kill", $"-TERM {racoon.Id}");
            Assert.That(racoon.WaitForExit(20_000), Is.True);

            var lines = File.ReadAllLines(stream);
            Assert.Multiple(() =>
            {
                Assert.That(lines.Where(l => !Regex.IsMatch(l, "^<[3-7]>")), Is.Empty, "every line starts with a priority");
                Assert.That(lines, Has.Some.Match("^<3>ERROR: failed to reload the configuration"));
                Assert.That(lines, Has.Some.Match("^<6>INFO: racoon process [0-9]+ shutdown"));
                Assert.That(lines, Has.Some.Match("^<7>DEBUG: open .* as racoon management"));
                Assert.That(lines, Has.None.Match("^<[3-7]>[0-9]{4}-"), "no timestamp: the journal adds its own");
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process StartRacoon(TestNetns ns, string dir, string[] command, (string Name, string Value) environment)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", ns.Name }.Concat(command))
            psi.ArgumentList.Add(a);
        psi.Environment[environment.Name] = environment.Value;
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Receive(Socket notify, Process racoon)
    {
        var buffer = new byte[4096];
        try
        {
            return Encoding.UTF8.GetString(buffer, 0, notify.Receive(buffer));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            Assert.Fail($"no notification from racoon within 30 s (exited: {racoon.HasExited})");
            throw;
        }
    }

    private static void WaitFor(Func<bool> condition, Process racoon, string stream)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30) || racoon.HasExited)
                Assert.Fail($"racoon did not get there (exited: {racoon.HasExited}); its stderr:\n{File.ReadAllText(stream)}");
            Thread.Sleep(100);
        }
    }

    private static string WriteConfig()
    {
        var dir = Directory.CreateTempSubdirectory("keyd-systemd").FullName;
        File.WriteAllText(Path.Combine(dir, "psk.txt"), "10.77.0.2 systemd-tier-secret\n");
        File.SetUnixFileMode(Path.Combine(dir, "psk.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(dir, "racoon.conf"), $$"""
            path pre_shared_key "{{dir}}/psk.txt";
            path pidfile "{{dir}}/racoon.pid";
            listen {
                    isakmp 127.0.0.1 [500];
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
                    encryption_algorithm aes 128;
                    authentication_algorithm hmac_sha1;
                    compression_algorithm deflate;
            }
            """);
        return dir;
    }
}
