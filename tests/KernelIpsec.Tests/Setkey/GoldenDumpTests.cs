using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// Every golden script applied by our setkey to the in-memory kernel gives the reference's exit
/// status, output and normalised -D/-DP (what the reference printed over a real kernel).
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class GoldenDumpTests
{
    /// <summary>The reference outputs carried in the repository (tests/golden/setkey).</summary>
    public static readonly string GoldenRoot = Path.Combine(KernelIpsec.Tests.Packaging.RepositoryRoot.Find(), "tests", "golden", "setkey");

    public static IEnumerable<string> Scripts() =>
        Directory.Exists(GoldenRoot + "/scripts")
            ? Directory.GetFiles(GoldenRoot + "/scripts", "*.conf").Select(p => Path.GetFileNameWithoutExtension(p)!).Order()
            : ["golden-scripts-missing"];

    [TestCaseSource(nameof(Scripts))]
    public async Task ScriptGivesTheGoldenDumps(string name)
    {
        var script = $"{GoldenRoot}/scripts/{name}.conf";
        if (!File.Exists(script))
            Assert.Ignore($"golden scripts not on this machine ({GoldenRoot})");
        var golden = $"{GoldenRoot}/ipsec-tools-0.8.2/{name}";
        await using var kernel = new InMemoryKernel();
        var setkey = new SetkeyHarness(kernel).WithFile(script, File.ReadAllText(script));

        var apply = setkey.Run($"-f {script}");
        var dumpSa = setkey.Run("-D");
        var dumpSp = setkey.Run("-DP");

        Assert.Multiple(() =>
        {
            Assert.That(apply.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", Is.EqualTo(File.ReadAllText(golden + ".rc")));
            Assert.That(apply.StdOut, Is.EqualTo(File.ReadAllText(golden + ".stdout")));
            Assert.That(apply.StdErr, Is.EqualTo(File.ReadAllText(golden + ".stderr")));
            Assert.That(SetkeyHarness.Normalise(dumpSa.StdOut), Is.EqualTo(File.ReadAllText(golden + ".D")));
            Assert.That(SetkeyHarness.Normalise(dumpSp.StdOut), Is.EqualTo(File.ReadAllText(golden + ".DP")));
        });
    }
}
