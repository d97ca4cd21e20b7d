using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Scripts;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Scripts;

[TestFixture, Category(Tier.Unit)]
public class ScriptEnvironmentTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("10.77.0.1"), 500);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("10.77.0.2"), 4500);

    private static string Render(IReadOnlyList<KeyValuePair<string, string>> env) => string.Join("\n", env.Select(p => $"{p.Key}={p.Value}"));

    [Test]
    public void ClientWithModeConfigGetsRacoonsVariablesInRacoonsOrder()
    {
        var cfg = new ModeCfgAttributes
        {
            Address4 = IPAddress.Parse("10.77.8.1"),
            Netmask4 = IPAddress.Parse("255.255.255.0"),
            Dns4 = [IPAddress.Parse("10.77.8.53"), IPAddress.Parse("10.77.8.54")],
            Wins4 = [IPAddress.Parse("10.77.8.55")],
            SplitInclude = [IPNetwork.Parse("10.77.2.0/24"), IPNetwork.Parse("192.168.0.0/16")],
            SplitLocal = [IPNetwork.Parse("172.16.0.0/12")],
            DefaultDomain = "corp.example",
        };
        var env = ScriptEnvironment.Build(Local, Remote, new Phase1Details("10.77.0.2", "ikev1rig", cfg));
        Assert.That(Render(env), Is.EqualTo("""
            INTERNAL_ADDR4=10.77.8.1
            XAUTH_USER=ikev1rig
            INTERNAL_MASK4=255.255.255.0
            INTERNAL_NETMASK4=255.255.255.0
            INTERNAL_CIDR4=24
            INTERNAL_DNS4=10.77.8.53
            INTERNAL_DNS4_LIST=10.77.8.53 10.77.8.54
            INTERNAL_WINS4=10.77.8.55
            INTERNAL_WINS4_LIST=10.77.8.55
            DEFAULT_DOMAIN=corp.example
            SPLIT_INCLUDE=10.77.2.0/255.255.255.0 192.168.0.0/255.255.0.0
            SPLIT_INCLUDE_CIDR=10.77.2.0/24 192.168.0.0/16
            SPLIT_LOCAL=172.16.0.0/255.240.0.0
            SPLIT_LOCAL_CIDR=172.16.0.0/12
            LOCAL_ADDR=10.77.0.1
            LOCAL_PORT=500
            REMOTE_ADDR=10.77.0.2
            REMOTE_PORT=4500
            REMOTE_ID=10.77.0.2
            """));
    }

    [Test]
    public void WithoutModeConfigTheVariablesAreThereAndEmptyAndTheCidrIsZero()
    {
        // As charon's server answering no netmask: INTERNAL_NETMASK4= and INTERNAL_CIDR4=0 (interop README).
        var env = ScriptEnvironment.Build(Local, Remote, null).ToDictionary(p => p.Key, p => p.Value);
        Assert.That(env, Does.Not.ContainKey("XAUTH_USER"));
        Assert.That(env, Does.Not.ContainKey("REMOTE_ID"), "no peer ID known");
        Assert.That(env["INTERNAL_ADDR4"], Is.Empty);
        Assert.That(env["INTERNAL_NETMASK4"], Is.Empty);
        Assert.That(env["INTERNAL_CIDR4"], Is.EqualTo("0"));
        Assert.That(env["INTERNAL_DNS4_LIST"], Is.Empty);
        Assert.That(env["SPLIT_INCLUDE_CIDR"], Is.Empty);
        Assert.That(env.Count, Is.EqualTo(17));
    }

    [Test]
    public void AnAddressWithoutANetmaskHasCidrZero()
    {
        var env = ScriptEnvironment.Build(Local, Remote, new Phase1Details(ModeCfg: new ModeCfgAttributes { Address4 = IPAddress.Parse("10.77.8.1"), Dns4 = [IPAddress.Parse("10.77.8.53")] }))
            .ToDictionary(p => p.Key, p => p.Value);
        Assert.That((env["INTERNAL_ADDR4"], env["INTERNAL_NETMASK4"], env["INTERNAL_CIDR4"], env["INTERNAL_DNS4"]), Is.EqualTo(("10.77.8.1", "", "0", "10.77.8.53")));
    }
}
