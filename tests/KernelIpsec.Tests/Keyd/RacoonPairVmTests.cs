using System.Diagnostics;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>
/// The seed scenario on the real kernel: two namespaces with setkey-style policies only, our racoon on
/// each side, a packet from left to right negotiates, SAs appear on both sides and ESP carries traffic.
/// </summary>
[TestFixture, Category(Tier.Vm), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RacoonPairVmTests
{
    private static string Tool(string name) => Path.Combine(AppContext.BaseDirectory, name);

    private const string SeedPhase1 = """
            remote anonymous {
                    exchange_mode main,aggressive;
                    proposal {
                            encryption_algorithm 3des;
                            hash_algorithm sha1;
                            authentication_method pre_shared_key;
                            dh_group 2;
                    }
            }
            sainfo anonymous {
                    pfs_group 1;
                    encryption_algorithm 3des;
                    authentication_algorithm hmac_sha1;
                    compression_algorithm deflate;
            }
            """;

    private const string ModernPhase1 = """
            remote anonymous {
                    exchange_mode main;
                    proposal {
                            encryption_algorithm aes 256;
                            hash_algorithm sha256;
                            authentication_method pre_shared_key;
                            dh_group 14;
                    }
            }
            sainfo anonymous {
                    pfs_group 14;
                    encryption_algorithm aes 256;
                    authentication_algorithm hmac_sha256;
                    compression_algorithm deflate;
            }
            """;

    private sealed class Side : IDisposable
    {
        public required TestNetns Ns { get; init; }
        public required Process Process { get; init; }
        public required string Dir { get; init; }
        public string Log => File.Exists(Path.Combine(Dir, "racoon.log")) ? File.ReadAllText(Path.Combine(Dir, "racoon.log")) : "";

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

    private static Side Start(TestNetns ns, string self, string peer, string sections)
    {
        var dir = Directory.CreateTempSubdirectory("keyd-vm").FullName;
        var psk = Path.Combine(dir, "psk.txt");
        File.WriteAllText(psk, $"{peer} vm-seed-pre-shared-key\n");
        File.SetUnixFileMode(psk, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(dir, "racoon.conf"), $$"""
            path pre_shared_key "{{psk}}";
            path pidfile "{{dir}}/racoon.pid";
            listen {
                    isakmp {{self}} [500];
                    adminsock "{{dir}}/racoon.sock" "root" "root" 0600;
            }
            {{sections}}
            """);
        ns.Exec($"ip xfrm policy add src {self}/32 dst {peer}/32 dir out tmpl proto esp mode transport level required");
        ns.Exec($"ip xfrm policy add src {peer}/32 dst {self}/32 dir in tmpl proto esp mode transport level required");
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", ns.Name, Tool("racoon"), "-F", "-d", "-f", Path.Combine(dir, "racoon.conf"), "-l", Path.Combine(dir, "racoon.log") })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var side = new Side { Ns = ns, Process = process, Dir = dir };
        var watch = Stopwatch.StartNew();
        while (!side.Log.Contains("used as isakmp port", StringComparison.Ordinal))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(300) || process.HasExited)
                Assert.Fail($"racoon in {ns.Name} did not come up:\n{side.Log}");
            Thread.Sleep(200);
        }
        return side;
    }

    private static int EspSas(TestNetns ns) =>
        ns.Exec("ip xfrm state").Split('\n').Count(l => l.StartsWith("\tproto esp spi", StringComparison.Ordinal) && !l.Contains("spi 0x00000000", StringComparison.Ordinal));

    private static void Negotiate(string sections, string expectedAuth)
    {
        Requirements.Vm();
        using var pair = NetnsPair.Create();
        using var right = Start(pair.Right, NetnsPair.RightAddress, NetnsPair.LeftAddress, sections);
        using var left = Start(pair.Left, NetnsPair.LeftAddress, NetnsPair.RightAddress, sections);

        var watch = Stopwatch.StartNew();
        while (EspSas(pair.Left) < 2 || EspSas(pair.Right) < 2)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(300))
                Assert.Fail($"no SAs after 300 s.\nleft log:\n{left.Log}\nright log:\n{right.Log}\nleft state:\n{pair.Left.Exec("ip xfrm state")}");
            pair.Left.TryExec($"bash -c \"echo trigger > /dev/udp/{NetnsPair.RightAddress}/9999\"");
            Thread.Sleep(1000);
        }
        Assert.That(left.Log, Does.Contain("IPsec-SA established"));
        Assert.That(right.Log, Does.Contain("IPsec-SA established"));
        var leftState = pair.Left.Exec("ip xfrm state");
        Assert.That(leftState, Does.Contain("replay-window 4"));
        Assert.That(leftState, Does.Contain(expectedAuth));

        // Traffic now rides ESP: the outbound SA's counters move on the left, the inbound one's on the right.
        for (var i = 0; i < 5; i++)
            pair.Left.TryExec($"bash -c \"echo data{i} > /dev/udp/{NetnsPair.RightAddress}/9999\"");
        var stats = pair.Right.Exec("ip -s xfrm state");
        Assert.That(stats, Does.Match(@"lifetime current:\s*\n\s*[1-9]\d*\(bytes\), [1-9]\d*\(packets\)"), stats);

        // racoonctl on the left sees the ISAKMP SA and the ESP SAs.
        var isakmp = pair.Left.TryExec($"{Tool("racoonctl")} -s {left.Dir}/racoon.sock show-sa isakmp");
        Assert.That(isakmp.StdOut, Does.Contain("10.77.0.2.500"), isakmp.StdErr);
        var esp = pair.Left.TryExec($"{Tool("racoonctl")} -s {left.Dir}/racoon.sock show-sa esp");
        Assert.That(esp.StdOut, Does.Contain("esp mode=transport"), esp.StdErr);

        // A clean exit removes the daemon's own SAs.
        Shell.Run("kill", $"-TERM {left.Process.Id}");
        Assert.That(left.Process.WaitForExit(30000), Is.True, left.Log);
        Assert.That(EspSas(pair.Left), Is.Zero, $"{pair.Left.Exec("ip xfrm state")}\nleft log:\n{left.Log}");
    }

    [Test]
    public void SeedPskScenarioNegotiatesAndCarriesEsp() => Negotiate(SeedPhase1, "auth-trunc hmac(sha1)");

    [Test]
    public void ModernAlgorithmsUseRfc4868Truncation() => Negotiate(ModernPhase1, "auth-trunc hmac(sha256)");
}
