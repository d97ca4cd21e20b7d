using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Setkey;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

/// <summary>On a kernel without af_key (this machine's), asking for PF_KEY says what to do instead of failing obscurely.</summary>
[TestFixture, Category(Tier.Kernel)]
public class PfKeyMissingKernelTests
{
    [Test]
    public void SetkeyWithKernelPfKeySaysLoadAfKeyOrUseXfrm()
    {
        Requirements.Root();
        if (File.Exists("/proc/net/pfkey"))
            Assert.Ignore("this kernel has PF_KEY (af_key is loaded)");
        using var ns = TestNetns.Create("kpf");
        var flag = SetkeyBinary.Run(ns, "--kernel pfkey -D");
        var environment = ns.TryExec($"env KERNELIPSEC_KERNEL=pfkey {SetkeyBinary.Path} -DP");
        Assert.Multiple(() =>
        {
            Assert.That((flag.ExitCode, flag.StdErr), Is.EqualTo((1, "setkey: cannot open the pfkey kernel interface: PF_KEY not available: load af_key or use --kernel xfrm\n")));
            Assert.That((environment.ExitCode, environment.StdErr), Is.EqualTo((1, "setkey: cannot open the pfkey kernel interface: PF_KEY not available: load af_key or use --kernel xfrm\n")));
        });
    }
}
