using KernelIpsec.Keyd.Config;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Backends;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Setkey.Cli;
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

    [TestCase("xfrm", "xfrm")]
    [TestCase("netlink", "xfrm")]
    [TestCase("PFKEY", "pfkey")]
    [TestCase("pf_key", "pfkey")]
    [TestCase("pf-key", "pfkey")]
    public void RacoonAndSetkeyTakeTheSameNames(string written, string meant)
    {
        Assert.That(KernelChoice.TryParse(written, out var racoon), Is.True);
        Assert.That(KernelChoice.Keyword(racoon), Is.EqualTo(meant));
        var opened = new Dictionary<string, IKernelIpsec>();
        var setkey = new KernelBackends();
        foreach (var name in KernelIpsecFactory.Names)
            setkey.Add(name, () => opened[name] = new InMemoryKernel());
        Assert.That(setkey.TryOpen(written, out var kernel, out var problem), Is.True, problem);
        Assert.That(opened[meant], Is.SameAs(kernel));
        Assert.That(KernelChoice.Names[meant], Is.EqualTo(racoon), "the `kernel` statement's names");
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
