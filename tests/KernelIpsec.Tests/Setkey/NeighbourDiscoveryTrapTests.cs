using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// setkey warns about an IPv6 policy that swallows neighbour discovery (the ND -> SA -> IKE -> ND deadlock) and
/// names the bypass policies to add; the script is still applied (a warning, not an error).
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class NeighbourDiscoveryTrapTests
{
    private const string CatchAll = "spdadd ::/0 ::/0 any -P out ipsec esp/transport//require;\n";

    private static SetkeyHarness.Outcome Check(string script, string args = "-n -f s.conf") =>
        new SetkeyHarness(new InMemoryKernel()).WithFile("s.conf", script).Run(args);

    [Test]
    public void AnyOverAllOfIpv6WarnsAndNamesTheBypassPolicies()
    {
        var outcome = Check("flush;\n" + CatchAll);
        Assert.That(outcome.ExitCode, Is.Zero, "a warning does not fail the script");
        Assert.That(outcome.StdErr, Is.EqualTo(
            "setkey: s.conf,2: warning: this policy also covers IPv6 neighbour discovery (ICMPv6 135 and 136): resolving the peer's address then needs an SA, "
            + "and negotiating the SA needs the address resolved; add before it: spdadd ::/0 ::/0 icmp6 135,0 -P out prio high none; spdadd ::/0 ::/0 icmp6 136,0 -P out prio high none;\n"));
    }

    [Test]
    public void TheSuggestedBypassesSilenceTheWarningAndAreAppliedAsWritten()
    {
        const string bypass = "spdadd ::/0 ::/0 icmp6 135,0 -P out prio high none;\nspdadd ::/0 ::/0 icmp6 136,0 -P out prio high none;\n";
        var kernel = new InMemoryKernel();
        var outcome = new SetkeyHarness(kernel).WithFile("s.conf", CatchAll + bypass).Run("-f s.conf");
        Assert.That((outcome.ExitCode, outcome.StdErr), Is.EqualTo((0, "")), "a better priority lets ND through wherever it stands in the script");
        Assert.That(kernel.DumpPoliciesAsync().Result, Has.Count.EqualTo(3));
    }

    [Test]
    public void AnEarlierBypassAtTheSamePriorityIsEnoughButALaterOneIsNot()
    {
        const string solicitation = "spdadd ::/0 ::/0 icmp6 135,0 -P out none;\n";
        const string advertisement = "spdadd ::/0 ::/0 icmp6 136,0 -P out none;\n";
        Assert.That(Check(solicitation + advertisement + CatchAll).StdErr, Is.Empty);
        Assert.That(Check(solicitation + CatchAll + advertisement).StdErr, Does.Contain("s.conf,2: warning: this policy also covers IPv6 neighbour discovery (ICMPv6 136)"));
    }

    [TestCase("spdadd fd77::1 fd77::2 any -P in ipsec esp/transport//require;", true, TestName = "inbound host to host, any protocol")]
    [TestCase("spdadd fd77::1 fd77::2 icmp6 -P out ipsec esp/transport//unique;", true, TestName = "all of icmp6, unique")]
    [TestCase("spdadd fd77::1 fd77::2 icmp6 128,0 -P out ipsec esp/transport//require;", false, TestName = "echo requests only")]
    [TestCase("spdadd fd77::1 fd77::2 tcp -P out ipsec esp/transport//require;", false, TestName = "tcp only")]
    [TestCase("spdadd fd77::1 fd77::2 any -P out ipsec esp/transport//use;", false, TestName = "level use sends in the clear without an SA")]
    [TestCase("spdadd fd77::1 fd77::2 any -P fwd ipsec esp/tunnel/fd77::1-fd77::2/require;", false, TestName = "forwarded traffic is not the host's own ND")]
    [TestCase("spdadd 10.77.0.1 10.77.0.2 any -P out ipsec esp/transport//require;", false, TestName = "IPv4 has ARP, outside IPsec")]
    public void WhichPoliciesTrap(string policy, bool warns)
    {
        var outcome = Check(policy + "\n");
        Assert.That((outcome.ExitCode, outcome.StdErr.Contains("warning: this policy also covers IPv6 neighbour discovery", StringComparison.Ordinal)), Is.EqualTo((0, warns)), outcome.StdErr);
    }

    [Test]
    public void StdinModeRemembersTheBypassesOfEarlierStatements()
    {
        var outcome = new SetkeyHarness(new InMemoryKernel()).Run("-c",
            "spdadd ::/0 ::/0 icmp6 135,0 -P out none;\nspdadd ::/0 ::/0 icmp6 136,0 -P out none;\n" + CatchAll);
        Assert.That((outcome.ExitCode, outcome.StdErr), Is.EqualTo((0, "")));
    }
}
