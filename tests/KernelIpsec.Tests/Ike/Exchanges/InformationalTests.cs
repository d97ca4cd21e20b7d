using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>DELETE, INITIAL-CONTACT, DPD, lifetimes and unauthenticated informational messages.</summary>
[TestFixture, Category(Tier.Unit)]
public class InformationalTests
{
    private static EnginePair Established(Scenario scenario)
    {
        var pair = scenario.CreatePair();
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1), pair.Left.Log + "\n" + pair.Right.Log);
        return pair;
    }

    [Test]
    public void Deleting_the_isakmp_sa_tells_the_peer_which_drops_it_too()
    {
        using var pair = Established(new Scenario());

        pair.Run(pair.Left, pair.Left.Engine.DeletePhase1(Scenario.RightAddress));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Engine.Phase1Sas, Is.Empty);
            Assert.That(pair.Right.Engine.Phase1Sas, Is.Empty);
            Assert.That(pair.Right.Log.Lines.Any(l => l.StartsWith("INFO: ISAKMP-SA deleted 10.77.0.2[500]-10.77.0.1[500] spi:", StringComparison.Ordinal)), pair.Right.Log.ToString());
            Assert.That(pair.Right.Phase1Downs.Single().Reason, Is.EqualTo("deleted by the peer"));
            Assert.That(pair.Right.Installed, Has.Count.EqualTo(1), "IPsec SAs outlive their ISAKMP SA, as in racoon");
            Assert.That(pair.Right.Deleted, Is.Empty);
        });
    }

    [Test]
    public void The_administrators_delete_purges_our_ipsec_sas_with_that_peer_as_racoons_purge_remote()
    {
        // racoonctl delete-sa isakmp / vpn-disconnect: racoon deletes the ISAKMP SA and every IPsec SA with the peer
        // from its kernel; a road warrior that disconnected must keep no tunnel.
        using var pair = Established(new Scenario());
        var l = pair.Left.Installed.Single();

        pair.Run(pair.Left, pair.Left.Engine.DeletePhase1(Scenario.RightAddress));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Deleted, Is.EquivalentTo(new[]
            {
                new DeleteIpsecSa(IpsecSaProtocol.Esp, l.InboundSpi, Scenario.RightAddress, Scenario.LeftAddress),
                new DeleteIpsecSa(IpsecSaProtocol.Esp, l.OutboundSpi, Scenario.LeftAddress, Scenario.RightAddress),
            }));
            Assert.That(pair.Left.Engine.IpsecSas, Is.Empty);
            Assert.That(pair.Left.Log.Contains($"INFO: purged IPsec-SA proto_id=ESP spi={l.InboundSpi}."), pair.Left.Log.ToString());
            Assert.That(pair.Left.Engine.Phase1Sas, Is.Empty);
        });
    }

    [Test]
    public void A_hard_expire_sends_an_ipsec_delete_and_the_peer_removes_both_directions()
    {
        using var pair = Established(new Scenario());
        var l = pair.Left.Installed.Single();

        pair.Run(pair.Left, pair.Left.Engine.HandleExpire(new ExpireEvent(IpsecSaProtocol.Esp, l.InboundSpi, Scenario.LeftAddress, Hard: true)));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Deleted.Single(), Is.EqualTo(new DeleteIpsecSa(IpsecSaProtocol.Esp, l.OutboundSpi, Scenario.LeftAddress, Scenario.RightAddress)),
                "the kernel removed the expired inbound SA; its outbound partner goes too");
            Assert.That(pair.Right.Deleted, Is.EquivalentTo(new[]
            {
                new DeleteIpsecSa(IpsecSaProtocol.Esp, l.InboundSpi, Scenario.RightAddress, Scenario.LeftAddress),
                new DeleteIpsecSa(IpsecSaProtocol.Esp, l.OutboundSpi, Scenario.LeftAddress, Scenario.RightAddress),
            }));
            Assert.That(pair.Right.Log.Contains($"INFO: purged IPsec-SA proto_id=ESP spi={l.InboundSpi}."), pair.Right.Log.ToString());
            Assert.That(pair.Right.Engine.IpsecSas, Is.Empty);
        });
    }

    [Test]
    public void Initial_contact_after_a_restart_purges_the_old_sas_of_that_peer()
    {
        var scenario = new Scenario();
        using var pair = Established(scenario);
        var old = pair.Right.Installed.Single();

        pair.Left.Restart();
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.Log.Lines.Count(l => l == "INFO: received INITIAL-CONTACT from 10.77.0.1[500]"), Is.EqualTo(2));
            Assert.That(pair.Right.Deleted, Is.EquivalentTo(new[]
            {
                new DeleteIpsecSa(IpsecSaProtocol.Esp, old.InboundSpi, Scenario.LeftAddress, Scenario.RightAddress),
                new DeleteIpsecSa(IpsecSaProtocol.Esp, old.OutboundSpi, Scenario.RightAddress, Scenario.LeftAddress),
            }));
            Assert.That(pair.Right.Engine.Phase1Sas, Has.Count.EqualTo(1), "the old ISAKMP SA is purged too");
            Assert.That(pair.Right.Phase1Downs.Single().Reason, Is.EqualTo("purged by INITIAL-CONTACT"));
            Assert.That(pair.Right.Engine.IpsecSas, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Dpd_probes_an_idle_peer_and_declares_a_silent_one_dead()
    {
        var scenario = new Scenario { DpdDelay = TimeSpan.FromSeconds(10) };
        using var pair = Established(scenario);

        pair.RunTimers(TimeSpan.FromSeconds(35));
        Assert.That(pair.Left.Phase1Downs, Is.Empty, "the peer answers R-U-THERE");
        Assert.That(pair.Sent.Count(s => s.From == pair.Right), Is.GreaterThan(4), "R-U-THERE-ACKs went back");

        pair.Filter = (_, side, bytes) => side == pair.Right ? null : bytes;
        pair.RunTimers(TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Log.Lines.Any(l => l.StartsWith("ERROR: DPD: remote (ISAKMP-SA spi=", StringComparison.Ordinal) && l.EndsWith(") seems to be dead.", StringComparison.Ordinal)), pair.Left.Log.ToString());
            Assert.That(pair.Left.Phase1Downs.Single().Reason, Is.EqualTo("DPD: peer seems to be dead"));
            Assert.That(pair.Left.Deleted, Has.Count.EqualTo(2), "its IPsec SAs are removed");
            Assert.That(pair.Left.Engine.Phase1Sas, Is.Empty);
        });
    }

    [Test]
    public void The_isakmp_sa_expires_at_its_lifetime_and_says_so()
    {
        using var pair = Established(new Scenario());

        pair.RunTimers(TimeSpan.FromHours(5));

        Assert.That(pair.Left.Log.Lines.Any(l => l.StartsWith("INFO: ISAKMP-SA expired 10.77.0.1[500]-10.77.0.2[500] spi:", StringComparison.Ordinal)), pair.Left.Log.ToString());
        Assert.That(pair.Left.Engine.Phase1Sas, Is.Empty);
        Assert.That(pair.Right.Engine.Phase1Sas, Is.Empty);
    }

    [Test]
    public void An_unencrypted_delete_is_ignored()
    {
        using var pair = Established(new Scenario());
        var sa = pair.Right.Engine.Phase1Sas.Single();
        var forged = IsakmpMessage.ToArray(new IsakmpHeader(sa.InitiatorCookie, sa.ResponderCookie, PayloadType.None, ExchangeType.Informational, IsakmpFlags.None, 0x1234, 0),
            DeletePayload.ForIsakmp(sa.InitiatorCookie, sa.ResponderCookie));

        pair.Run(pair.Right, pair.Right.Engine.HandleDatagram(pair.Right.Endpoint, pair.Left.Endpoint, forged));

        Assert.That(pair.Right.Engine.Phase1Sas.Single().Established, Is.True);
        Assert.That(pair.Right.Log.Contains("WARNING: ignore unauthenticated informational from 10.77.0.1[500]: Delete"), pair.Right.Log.ToString());
    }

    [Test]
    public void An_unencrypted_informational_with_a_broken_payload_chain_is_logged_as_malformed_not_as_an_internal_error()
    {
        using var pair = Established(new Scenario());
        var sa = pair.Right.Engine.Phase1Sas.Single();
        var good = IsakmpMessage.ToArray(new IsakmpHeader(sa.InitiatorCookie, sa.ResponderCookie, PayloadType.None, ExchangeType.Informational, IsakmpFlags.None, 0x1234, 0),
            DeletePayload.ForIsakmp(sa.InitiatorCookie, sa.ResponderCookie));
        // The Delete payload claims 200 bytes more than the datagram holds.
        good[IsakmpHeader.Size + 3] = 200;

        pair.Run(pair.Right, pair.Right.Engine.HandleDatagram(pair.Right.Endpoint, pair.Left.Endpoint, good));

        Assert.That(pair.Right.Log.Lines.Any(l => l.StartsWith("WARNING: ignore unauthenticated informational from 10.77.0.1[500]: malformed (", StringComparison.Ordinal)), pair.Right.Log.ToString());
        Assert.That(pair.Right.Log.ToString(), Does.Not.Contain("internal error"));
        Assert.That(pair.Right.Engine.Phase1Sas.Single().Established, Is.True);
    }

    [Test]
    public void Shutdown_deletes_every_sa_and_tells_the_peer()
    {
        using var pair = Established(new Scenario());

        pair.Run(pair.Left, pair.Left.Engine.Shutdown());

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Deleted, Has.Count.EqualTo(2));
            Assert.That(pair.Right.Deleted, Has.Count.EqualTo(2));
            Assert.That(pair.Right.Engine.Phase1Sas, Is.Empty);
            Assert.That(pair.Left.Engine.Phase1Sas, Is.Empty);
        });
    }
}
