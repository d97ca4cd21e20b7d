using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Setkey;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

/// <summary>
/// The reference setkey spoke PF_KEY: our setkey with <c>--kernel pfkey</c> must leave the kernel exactly as the
/// reference did (`ip xfrm state/policy` byte for byte) and print the same -D/-DP, like it does over XFRM
/// (SetkeyVmTests). KERNELIPSEC_KERNEL chooses the backend the same way.
/// </summary>
[TestFixture, Category(Tier.Vm)]
public class SetkeyGoldenOverPfKeyVmTests
{
    public static IEnumerable<string> Scripts() => GoldenDumpTests.Scripts();

    [TestCaseSource(nameof(Scripts))]
    public void GoldenScriptOverPfKeyGivesTheReferenceKernelStateAndDumps(string name)
    {
        Requirements.Vm();
        var script = $"{GoldenDumpTests.GoldenRoot}/scripts/{name}.conf";
        if (!File.Exists(script))
            Assert.Ignore($"golden scripts not on this machine ({GoldenDumpTests.GoldenRoot})");
        var golden = $"{GoldenDumpTests.GoldenRoot}/ipsec-tools-0.8.2/{name}";
        using var ns = TestNetns.Create("kgp");

        var apply = SetkeyBinary.Run(ns, $"--kernel pfkey -f {script}");
        Assert.Multiple(() =>
        {
            Assert.That(apply.ExitCode + "\n", Is.EqualTo(File.ReadAllText(golden + ".rc")));
            Assert.That(apply.StdOut, Is.EqualTo(File.ReadAllText(golden + ".stdout")));
            Assert.That(apply.StdErr, Is.EqualTo(File.ReadAllText(golden + ".stderr")));
            Assert.That(SetkeyBinary.IpXfrm(ns, "state"), Is.EqualTo(File.ReadAllText(golden + ".xfrm-state")));
            Assert.That(SetkeyBinary.IpXfrm(ns, "policy"), Is.EqualTo(File.ReadAllText(golden + ".xfrm-policy")));
            Assert.That(SetkeyHarness.Normalise(SetkeyBinary.Run(ns, "--kernel pfkey -D").StdOut), Is.EqualTo(File.ReadAllText(golden + ".D")));
            Assert.That(SetkeyHarness.Normalise(ns.TryExec($"env KERNELIPSEC_KERNEL=pfkey {SetkeyBinary.Path} -DP").StdOut), Is.EqualTo(File.ReadAllText(golden + ".DP")));
        });
    }
}
