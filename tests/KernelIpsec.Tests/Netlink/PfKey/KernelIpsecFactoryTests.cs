using KernelIpsec.Netlink;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

[TestFixture, Category(Tier.Unit)]
public class KernelIpsecFactoryTests
{
    private static Func<string, string?> Env(string? value) => name => name == KernelIpsecFactory.EnvironmentVariable ? value : null;

    [Test]
    public void FlagWinsThenEnvironmentThenXfrm()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KernelIpsecFactory.Choose(null, Env(null)), Is.EqualTo("xfrm"));
            Assert.That(KernelIpsecFactory.Choose(null, Env("PF_KEY")), Is.EqualTo("pfkey"));
            Assert.That(KernelIpsecFactory.Choose("xfrm", Env("pfkey")), Is.EqualTo("xfrm"));
            Assert.That(KernelIpsecFactory.Choose("pfkey", Env(null)), Is.EqualTo("pfkey"));
            Assert.That(KernelIpsecFactory.Choose(null, Env("")), Is.EqualTo("xfrm"));
            Assert.That(KernelIpsecFactory.Choose("netlink", Env(null)), Is.EqualTo("xfrm"));
        });
    }

    [Test]
    public void UnknownNamesAreRefusedWithTheChoices()
    {
        Assert.That(() => KernelIpsecFactory.Choose(null, Env("kame")), Throws.ArgumentException.With.Message.EqualTo("unknown kernel interface 'kame' (use xfrm or pfkey)"));
        Assert.That(() => KernelIpsecFactory.Create("bsd"), Throws.ArgumentException.With.Message.StartsWith("unknown kernel interface 'bsd' (use xfrm or pfkey)"));
    }

    [Test]
    public void PfKeyOnAKernelWithoutItSaysWhatToDo()
    {
        // af_key shows itself in /proc/net/pfkey; where it is loaded (the VM) the socket opens instead.
        if (File.Exists("/proc/net/pfkey") || Requirements.InVm)
            Assert.Ignore("this kernel has PF_KEY");
        Assert.That(() => KernelIpsecFactory.Create("pfkey"),
            Throws.TypeOf<PlatformNotSupportedException>().With.Message.EqualTo("PF_KEY not available: load af_key or use --kernel xfrm"));
    }
}
