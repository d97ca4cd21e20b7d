using KernelIpsec.Ike.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>
/// `passive on`: the kernel's ACQUIREs for that peer are never acted upon (racoon's isakmp_post_acquire chooses among
/// the non-passive sections), the peer may still connect, and the configuration in force decides.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class PassiveTests
{
    private static readonly Scenario Scenario = new();

    private static EnginePair Pair(Func<RemoteConfig, RemoteConfig>? left = null) => WithPolicies(new(Scenario.ConfigFor(true, left), Scenario.ConfigFor(false),
        Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk)));

    /// <summary>Each side's SPD holds its policy (the responder looks its side up there).</summary>
    private static EnginePair WithPolicies(EnginePair pair)
    {
        pair.Left.Policies.Policies.Add(Scenario.PolicyFor(true));
        pair.Right.Policies.Policies.Add(Scenario.PolicyFor(false));
        return pair;
    }

    [Test]
    public void APassivePeerMayConnectButOurAcquiresForItAreIgnoredEvenWithItsPhase1Up()
    {
        using var pair = Pair(r => r with { Passive = true });
        pair.Run(pair.Right, pair.Right.Engine.HandleAcquire(Scenario.AcquireFor(left: false)));
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1), "the passive side answers");
        Assert.That(pair.Left.Phase1Ups, Has.Count.EqualTo(1));
        var sent = pair.Sent.Count;

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(Scenario.AcquireFor(left: true) with { Sequence = 2 }));

        Assert.That(pair.Sent, Has.Count.EqualTo(sent), "no quick mode started under the peer's phase 1");
        Assert.That(pair.Left.Failures.Last().Reason, Is.EqualTo("no configuration found for 10.77.0.2."));
        Assert.That(pair.Left.Log.Contains("ERROR: no configuration found for 10.77.0.2."), pair.Left.Log.ToString());
    }

    [Test]
    public void AReloadThatTurnsPassiveOnAppliesToTheNextAcquire()
    {
        using var pair = Pair();
        pair.Run(pair.Left, pair.Left.Engine.Reconfigure(Scenario.ConfigFor(true, r => r with { Passive = true })));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(Scenario.AcquireFor(left: true)));
        Assert.That(pair.Sent, Is.Empty);

        pair.Run(pair.Left, pair.Left.Engine.Reconfigure(Scenario.ConfigFor(true)));
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(Scenario.AcquireFor(left: true) with { Sequence = 2 }));
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1), "passive off again: it initiates");
    }

    [Test]
    public void APassiveSectionIsSkippedForAnotherThatIsNot()
    {
        var config = Scenario.ConfigFor(true, r => r with { Passive = true });
        var anonymous = config.Remotes[0] with { Name = "anonymous", Address = null, Passive = false };
        using var pair = WithPolicies(new EnginePair(config with { Remotes = [.. config.Remotes, anonymous] }, Scenario.ConfigFor(false),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk)));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(Scenario.AcquireFor(left: true)));

        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1), pair.Left.Log.ToString());
    }

    [Test]
    public void TheAdministratorMayStillEstablishTowardsAPassivePeer()
    {
        using var pair = Pair(r => r with { Passive = true });

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(Scenario.AcquireFor(left: true), administrator: true));

        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1), pair.Left.Log.ToString());
    }
}
