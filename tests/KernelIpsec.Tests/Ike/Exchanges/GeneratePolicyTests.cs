using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// generate_policy: a responder with no policy for the initiator's quick-mode IDs makes one from them (racoon's
/// get_proposal_r / set_proposal_from_proposal / pk_sendspdupdate2) and removes it with the SAs.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class GeneratePolicyTests
{
    /// <summary>Left initiates with its policy; right has none and answers with generate_policy <paramref name="mode"/>.</summary>
    private static EnginePair Negotiate(Scenario scenario, GeneratePolicyMode mode)
    {
        var pair = new EnginePair(scenario.ConfigFor(true), scenario.ConfigFor(false, r => r with { GeneratePolicy = mode }),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));
        pair.Left.Policies.Policies.Add(scenario.PolicyFor(true));
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        return pair;
    }

    [Test]
    public void TransportModeGeneratesARequirePolicyForTheInitiatorsIdsExpiringWithTheSas()
    {
        var scenario = new Scenario();
        using var pair = Negotiate(scenario, GeneratePolicyMode.On);

        Assert.That(pair.Right.Installed, Has.Count.EqualTo(1), pair.Right.Log.ToString());
        var install = (InstallPolicy)pair.Right.PolicyChanges.Single();
        Assert.That(install.Policy.Local, Is.EqualTo(scenario.RightTraffic(false)));
        Assert.That(install.Policy.Remote, Is.EqualTo(scenario.LeftTraffic(false)));
        Assert.That(install.Policy.Templates, Is.EqualTo(new[] { new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0) }));
        Assert.That((install.Unique, install.LifetimeSeconds), Is.EqualTo((false, 3600UL)));
        Assert.That(pair.Right.Log.Contains("INFO: no policy found, try to generate the policy : "), pair.Right.Log.ToString());
        Assert.That(pair.Left.PolicyChanges, Is.Empty, "the initiator had its policy");
    }

    [Test]
    public void TunnelModeGeneratesTunnelTemplatesBetweenThePhase1Addresses()
    {
        var scenario = new Scenario { Tunnel = true };
        using var pair = Negotiate(scenario, GeneratePolicyMode.Require);

        var install = (InstallPolicy)pair.Right.PolicyChanges.Single();
        Assert.That((install.Policy.Local, install.Policy.Remote), Is.EqualTo((scenario.RightTraffic(true), scenario.LeftTraffic(true))));
        Assert.That(install.Policy.Templates, Is.EqualTo(new[] { new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Tunnel, Scenario.RightAddress, Scenario.LeftAddress, 0) }));
        Assert.That(pair.Right.Installed.Single().Mode, Is.EqualTo(IpsecSaMode.Tunnel));
    }

    [Test]
    public void UniqueGivesEachGeneratedPolicyAReqidFromACounterAndTheSasCarryIt()
    {
        var scenario = new Scenario { Bundle = [IpsecSaProtocol.Esp, IpsecSaProtocol.Ah] };
        using var pair = Negotiate(scenario, GeneratePolicyMode.Unique);

        var install = (InstallPolicy)pair.Right.PolicyChanges.Single();
        Assert.That(install.Unique, Is.True);
        Assert.That(install.Policy.Templates.Select(t => t.Reqid), Is.EqualTo(new uint[] { 1, 2 }));
        Assert.That(pair.Right.Installed.Select(p => p.Reqid), Is.EquivalentTo(new uint[] { 1, 2 }), pair.Right.Log.ToString());
    }

    [Test]
    public void WithGeneratePolicyOffAResponderWithoutPolicyRefuses()
    {
        using var pair = Negotiate(new Scenario(), GeneratePolicyMode.Off);

        Assert.That(pair.Right.Installed, Is.Empty);
        Assert.That(pair.Right.PolicyChanges, Is.Empty);
        Assert.That(pair.Right.Log.Contains("no policy found: "), pair.Right.Log.ToString());
    }

    [Test]
    public void TheGeneratedPolicyGoesWithItsSas()
    {
        var scenario = new Scenario();
        using var pair = Negotiate(scenario, GeneratePolicyMode.On);
        var install = (InstallPolicy)pair.Right.PolicyChanges.Single();
        var sa = pair.Right.Installed.Single();

        pair.Run(pair.Right, pair.Right.Engine.HandleExpire(new ExpireEvent(sa.Protocol, sa.InboundSpi, sa.LocalAddress, Hard: true)));

        Assert.That(pair.Right.PolicyChanges, Has.Count.EqualTo(2));
        Assert.That(((DeletePolicy)pair.Right.PolicyChanges[1]).Policy, Is.EqualTo(install.Policy));
    }

    [Test]
    public void ShuttingDownRemovesTheGeneratedPolicyWithTheSas()
    {
        using var pair = Negotiate(new Scenario(), GeneratePolicyMode.On);

        pair.Run(pair.Right, pair.Right.Engine.Shutdown());

        Assert.That(pair.Right.PolicyChanges.OfType<DeletePolicy>().Count(), Is.EqualTo(1));
    }
}
