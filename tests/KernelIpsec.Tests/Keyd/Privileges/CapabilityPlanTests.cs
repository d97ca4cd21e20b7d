using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Keyd.Privileges;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd.Privileges;

/// <summary>Which of root's capabilities racoon keeps for a configuration, and why.</summary>
[TestFixture, Category(Tier.Unit)]
public class CapabilityPlanTests
{
    private const string Remote = """
        remote anonymous {
                exchange_mode main;
                proposal {
                        encryption_algorithm aes 128;
                        hash_algorithm sha1;
                        authentication_method pre_shared_key;
                        dh_group 14;
                }
        }
        """;

    private static RacoonConfig Parse(string text) =>
        RacoonConfLoader.ReadText(text).Config ?? throw new AssertionException("the test's racoon.conf does not parse");

    private static string[] Names(string text) => [.. CapabilityPlan.For(Parse(text)).Select(k => k.Name)];

    [Test]
    public void APlainConfigurationKeepsNetAdminAndNetBindServiceOnly()
    {
        var kept = CapabilityPlan.For(Parse(Remote));
        Assert.Multiple(() =>
        {
            Assert.That(kept.Select(k => k.Name), Is.EqualTo(new[] { "cap_net_admin", "cap_net_bind_service" }));
            Assert.That(CapabilityPlan.Mask(kept), Is.EqualTo((1UL << 12) | (1UL << 10)));
            Assert.That(kept.All(k => k.Reason.Length > 0), Is.True);
        });
    }

    [Test]
    public void AnAdminSocketOwnedByRootNeedsNoChownAnotherOwnerDoes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Names("listen { adminsock \"/run/r.sock\" \"root\" \"root\" 0600; }\n" + Remote), Has.No.Member("cap_chown"));
            Assert.That(Names("listen { adminsock \"/run/r.sock\" \"0\" \"65534\" 0660; }\n" + Remote), Has.Member("cap_chown"));
            Assert.That(Names("listen { adminsock disabled; }\n" + Remote), Has.No.Member("cap_chown"));
        });
    }

    [Test]
    public void ScriptHooksKeepNetRawForTheirIptables()
    {
        var withScript = Remote.Replace("exchange_mode main;", "exchange_mode main;\n        script \"/etc/racoon/up.sh\" phase1_up;", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(Names(withScript), Has.Member("cap_net_raw"));
            Assert.That(Names(Remote), Has.No.Member("cap_net_raw"));
        });
    }
}
