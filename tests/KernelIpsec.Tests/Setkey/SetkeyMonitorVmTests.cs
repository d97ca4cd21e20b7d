using System.Diagnostics;
using System.Globalization;
using System.Text;
using KernelIpsec.Tests.EndToEnd;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// `setkey -x` on a real kernel, over XFRM and over PF_KEY: another setkey adds an SA and the monitor prints a
/// timestamp line and the SADB_ADD in kdebug_sadb form (over PF_KEY the other process's request and af_key's answer).
/// </summary>
[TestFixture, Category(Tier.Vm)]
public class SetkeyMonitorVmTests
{
    [TestCase("xfrm")]
    [TestCase("pfkey")]
    public void MonitorPrintsTheSadbAddOfAnotherSetkey(string backend)
    {
        Requirements.Vm();
        using var ns = TestNetns.Create("kmx");
        var setkey = ProductTools.Setkey;
        var output = new StringBuilder();
        using var monitor = Process.Start(new ProcessStartInfo("ip", $"netns exec {ns.Name} {setkey.CommandLine($"--kernel {backend} -x")}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("cannot start setkey -x");
        monitor.OutputDataReceived += (_, e) =>
        {
            lock (output)
                output.Append(e.Data).Append('\n');
        };
        monitor.BeginOutputReadLine();
        var stderr = monitor.StandardError.ReadToEndAsync();
        try
        {
            // The monitor has no "ready" signal over XFRM: add SAs (a new SPI each time) until one shows up.
            var script = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"monitor-{backend}-{Environment.ProcessId}.conf");
            string? seen = null;
            for (var attempt = 0; attempt < 30 && seen is null && !monitor.HasExited; attempt++)
            {
                var spi = 0x1000 + attempt;
                File.WriteAllText(script, $"add {NetnsPair.LeftAddress} {NetnsPair.RightAddress} esp {spi} -E aes-cbc 0x{new string('1', 32)};\n");
                var add = ns.TryExec(setkey.CommandLine($"--kernel {backend} -f {script}"));
                Assert.That(add.ExitCode, Is.EqualTo(0), add.StdErr);
                var deadline = DateTime.UtcNow.AddSeconds(5);
                while (seen is null && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(200);
                    lock (output)
                        seen = AddBlock(output.ToString(), spi);
                }
            }

            string all;
            lock (output)
                all = output.ToString();
            Assert.That(seen, Is.Not.Null, $"no SADB_ADD block in the monitor's output:\n{all}\nstderr: {(monitor.HasExited ? stderr.Result : "")}");
            Assert.Multiple(() =>
            {
                Assert.That(seen, Does.Contain("sadb_key{ bits=128 reserved=0\n  key= 11111111 11111111 11111111 11111111 }\n"));
                Assert.That(seen, Does.Contain("sadb_address{ ").And.Contain(" 0a4d0001  }\n").And.Contain(" 0a4d0002  }\n"));
                Assert.That(all, Does.Match(@"(?m)^\d\d:\d\d:\d\d\.\d{6} $"), "timestamp lines as HH:MM:SS.usec");
            });
        }
        finally
        {
            if (!monitor.HasExited)
                monitor.Kill(entireProcessTree: true);
            monitor.WaitForExit(10_000);
        }
    }

    /// <summary>-v: the SADB_ADD request (larval) and the kernel's answer (mature), over PF_KEY the messages on the socket.</summary>
    [TestCase("xfrm")]
    [TestCase("pfkey")]
    public void VerboseShowsTheRequestAndTheAnswer(string backend)
    {
        Requirements.Vm();
        using var ns = TestNetns.Create("kmv");
        var script = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"verbose-{backend}-{Environment.ProcessId}.conf");
        File.WriteAllText(script, $"add {NetnsPair.LeftAddress} {NetnsPair.RightAddress} esp 0x2000 -E aes-cbc 0x{new string('1', 32)};\n");
        var r = ns.TryExec(ProductTools.Setkey.CommandLine($"--kernel {backend} -v -f {script}"));
        var blocks = r.StdOut.Split("\n\n").Where(b => b.StartsWith("sadb_msg{ version=2 type=3 errno=0 satype=3\n", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((0, "")));
            Assert.That(blocks, Has.Count.EqualTo(2), r.StdOut);
            Assert.That(blocks[0], Does.Contain("sadb_sa{ spi=8192 replay=0 state=0\n"), "the request");
            Assert.That(blocks[1], Does.Contain("sadb_sa{ spi=8192 replay=0 state=1\n"), "the answer");
        });
    }

    /// <summary>The first kdebug block of an SADB_ADD (type 3) of ESP (satype 3) for this SPI, or null.</summary>
    private static string? AddBlock(string output, int spi)
    {
        // Each message ends with an empty line: the blocks are what lies between them (each given back its last newline).
        foreach (var block in output.Split("\n\n").Select(b => b + "\n"))
        {
            var start = block.IndexOf("sadb_msg{ version=2 type=3 errno=0 satype=3\n", StringComparison.Ordinal);
            if (start >= 0 && block.Contains($"sadb_sa{{ spi={spi.ToString(CultureInfo.InvariantCulture)} ", StringComparison.Ordinal))
                return block[start..];
        }

        return null;
    }
}
