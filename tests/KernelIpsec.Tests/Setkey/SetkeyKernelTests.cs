using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// The setkey executable over XFRM on this machine's kernel (policies only: it has no ESP/AH),
/// each test in a fresh network namespace.
/// </summary>
[TestFixture, Category(Tier.Kernel)]
public class SetkeyKernelTests
{
    private TestNetns ns = null!;

    [SetUp]
    public void SetUp()
    {
        Requirements.Root();
        ns = TestNetns.Create();
    }

    [TearDown]
    public void TearDown() => ns?.Dispose();

    [Test]
    public void PolicyOnlyGoldenIsReproducedByteForByte()
    {
        var name = "policy-only";
        var script = $"{GoldenDumpTests.GoldenRoot}/scripts/{name}.conf";
        if (!File.Exists(script))
            Assert.Ignore($"golden scripts not on this machine ({GoldenDumpTests.GoldenRoot})");
        var golden = $"{GoldenDumpTests.GoldenRoot}/ipsec-tools-0.8.2/{name}";

        var apply = SetkeyBinary.Run(ns, $"-f {script}");
        Assert.Multiple(() =>
        {
            Assert.That((apply.ExitCode, apply.StdOut, apply.StdErr), Is.EqualTo((0, "", "")));
            Assert.That(SetkeyBinary.IpXfrm(ns, "policy"), Is.EqualTo(File.ReadAllText(golden + ".xfrm-policy")));
            Assert.That(SetkeyHarness.Normalise(SetkeyBinary.Run(ns, "-DP").StdOut), Is.EqualTo(File.ReadAllText(golden + ".DP")));
            Assert.That(SetkeyHarness.Normalise(SetkeyBinary.Run(ns, "-D").StdOut), Is.EqualTo(File.ReadAllText(golden + ".D")));
        });
    }

    [Test]
    public void KernelRefusalIsReportedWithLineAndErrnoText()
    {
        var script = Path.Combine(Path.GetTempPath(), $"setkey-dup-{Environment.ProcessId}.conf");
        File.WriteAllText(script, "spdadd 10.77.1.1 10.77.1.2 any -P out none;\nspdadd 10.77.1.1 10.77.1.2 any -P out discard;\nspdadd 10.77.1.3 10.77.1.4 any -P out none;\n");
        try
        {
            var r = SetkeyBinary.Run(ns, $"-f {script}");
            Assert.Multiple(() =>
            {
                Assert.That(r.ExitCode, Is.EqualTo(1));
                Assert.That(r.StdErr, Is.EqualTo($"setkey: {script},2: File exists\n"));
                Assert.That(ns.Exec("ip xfrm policy"), Does.Contain("10.77.1.3/32"));
            });
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Test]
    public void AtomicRunLeavesTheKernelAsItWas()
    {
        ns.Exec("ip xfrm policy add src 10.77.9.9 dst 10.77.9.8 dir out action allow");
        var before = ns.Exec("ip xfrm policy");
        var script = Path.Combine(Path.GetTempPath(), $"setkey-atomic-{Environment.ProcessId}.conf");
        File.WriteAllText(script, "spdflush;\nspdadd 10.77.1.1 10.77.1.2 any -P in ipsec esp/transport//require;\nspddelete 10.77.5.5 10.77.5.6 any -P out;\n");
        try
        {
            var r = SetkeyBinary.Run(ns, $"--atomic -f {script}");
            Assert.Multiple(() =>
            {
                Assert.That(r.ExitCode, Is.EqualTo(1));
                Assert.That(r.StdErr, Does.Contain($"setkey: {script},3: No entry."));
                Assert.That(Strip(ns.Exec("ip xfrm policy")), Is.EqualTo(Strip(before)));
            });
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Test]
    public void NoActionNeedsNoKernelAccess()
    {
        var script = Path.Combine(Path.GetTempPath(), $"setkey-n-{Environment.ProcessId}.conf");
        File.WriteAllText(script, "spdadd 10.77.1.1 10.77.1.2 any -P out none;\n");
        try
        {
            var r = SetkeyBinary.Run(ns, $"-n --kernel pfkey -f {script}");
            Assert.Multiple(() =>
            {
                Assert.That((r.ExitCode, r.StdErr), Is.EqualTo((0, "")));
                Assert.That(ns.Exec("ip xfrm policy").Trim(), Is.Empty);
            });
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Strip(string s) => string.Join("\n", s.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
