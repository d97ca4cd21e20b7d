using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Exchanges;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.NatTraversal;

/// <summary>
/// RFC 3947 through a masquerading NAT, engine against engine: left (10.77.3.1, seen as 10.77.0.3) initiates to a
/// road-warrior responder (remote anonymous). What a racoon user sees: racoon's NAT-T log lines, IKE moved to 4500,
/// ESP SAs in UDP between the right ports, keepalives from behind the NAT, and SAs that follow a new NAT mapping.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class NatTraversalEngineTests
{
    private static readonly TrafficSelector LeftHost = TrafficSelector.Host(NatPath.Private);
    private static readonly TrafficSelector ServerHost = TrafficSelector.Host(NatPath.Server);

    internal static NatPath Create(Tristate leftNatT = Tristate.On, Tristate rightNatT = Tristate.On, bool tunnel = false,
        ExchangeMode mode = ExchangeMode.Main, bool translate = true, TimeSpan? keepalive = null, TimeSpan? dpd = null)
    {
        var scenario = new Scenario
        {
            Left = NatPath.Private,
            Right = NatPath.Server,
            Tunnel = tunnel,
            Mode = mode,
            Cipher = new(EncryptionAlgorithm.AesCbc, 128),
            Group = DhGroupId.Modp2048,
            Pfs = DhGroupId.Modp2048,
            EspCipher = new(Phase2Encryption.Aes, 128),
            Timers = new TimerConfig { NattKeepalive = keepalive ?? TimeSpan.FromSeconds(20) },
            LeftId = mode == ExchangeMode.Aggressive ? new IdentifierConfig(IdentifierType.Fqdn, "left.ikev1.test") : null,
            RightId = mode == ExchangeMode.Aggressive ? new IdentifierConfig(IdentifierType.Fqdn, "right.ikev1.test") : null,
            DpdDelay = dpd ?? TimeSpan.Zero,
        };
        var leftConfig = scenario.ConfigFor(true, r => r with { NatTraversal = leftNatT });
        // The responder is a road-warrior gateway: it cannot know the address the client's NAT will show.
        var rightConfig = scenario.ConfigFor(false, r => r with { Address = null, Name = "anonymous", NatTraversal = rightNatT, DpdDelay = dpd ?? TimeSpan.Zero },
            s => s with { LocalId = null, RemoteId = null });
        var rightKeyId = mode == ExchangeMode.Aggressive ? "left.ikev1.test" : (translate ? NatPath.Public : NatPath.Private).ToString();
        var leftKeyId = mode == ExchangeMode.Aggressive ? "right.ikev1.test" : NatPath.Server.ToString();
        var path = new NatPath(leftConfig, rightConfig, Scenario.PskTable(leftKeyId, Scenario.Psk), Scenario.PskTable(rightKeyId, Scenario.Psk), translate);
        var seen = TrafficSelector.Host(path.PublicAddress);
        path.Left.Policies.Policies.Add(scenario.PolicyFor(true));
        if (tunnel)
        {
            path.Right.Policies.Policies.Add(new IpsecPolicy(scenario.RightTraffic(true), scenario.LeftTraffic(true),
                [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Tunnel, NatPath.Server, path.PublicAddress, 0)], 2));
        }
        else
        {
            // The gateway's transport policy names the client as it sees it (the NAT's address).
            path.Right.Policies.Policies.Add(new IpsecPolicy(ServerHost, seen, [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0)], 2));
        }
        return path;
    }

    private static AcquireRequest LeftAcquire(NatPath path, bool tunnel = false) =>
        new(1, NatPath.Private, NatPath.Server, path.Left.Policies.Policies[0]);

    [Test]
    public void Main_mode_transport_through_a_nat_floats_to_4500_and_installs_esp_in_udp_with_nat_oa()
    {
        using var path = Create();
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));

        Assert.That(path.Left.Failures, Is.Empty, path.Left.Log.ToString());
        Assert.That(path.Right.Failures, Is.Empty, path.Right.Log.ToString());
        var l = path.Left.Installed.Single();
        var r = path.Right.Installed.Single();
        Assert.Multiple(() =>
        {
            // Messages 1-4 of main mode on 500, everything after on 4500 (RFC 3947 4).
            Assert.That(path.Wire.Take(4).Select(w => (w.Source.Port, w.Destination.Port)), Is.All.EqualTo((500, 500)));
            Assert.That(path.Wire.Skip(4).Select(w => (w.Source.Port, w.Destination.Port)), Is.All.EqualTo((4500, 4500)));
            Assert.That(path.Left.Log.Contains("INFO: Selected NAT-T version: RFC 3947"), path.Left.Log.ToString());
            Assert.That(path.Left.Log.Contains("INFO: NAT detected: ME"), path.Left.Log.ToString());
            Assert.That(path.Right.Log.Contains("INFO: NAT detected: PEER"), path.Right.Log.ToString());
            Assert.That(path.Left.Log.Contains("INFO: NAT-T: ports changed to: 10.77.0.2[4500]<->10.77.3.1[4500]"), path.Left.Log.ToString());

            Assert.That(l.Encapsulation, Is.EqualTo(new UdpEncapsulation(4500, 4500, NatPath.Private, NatPath.Server)));
            Assert.That(r.Encapsulation, Is.EqualTo(new UdpEncapsulation(4500, 4500, NatPath.Server, NatPath.Private)), "right's NAT-OA from left: 10.77.3.1");
            Assert.That((l.LocalAddress, l.RemoteAddress), Is.EqualTo((NatPath.Private, NatPath.Server)));
            Assert.That((r.LocalAddress, r.RemoteAddress), Is.EqualTo((NatPath.Server, NatPath.Public)));
            // The kernel checks decrypted packets against the SA selectors: they must name what the packets carry.
            Assert.That((r.LocalSelector, r.RemoteSelector), Is.EqualTo((ServerHost, TrafficSelector.Host(NatPath.Public))));
            Assert.That((l.LocalSelector, l.RemoteSelector), Is.EqualTo((LeftHost, ServerHost)));
            Assert.That(l.InboundSpi, Is.EqualTo(r.OutboundSpi));
        });
    }

    [Test]
    public void Tunnel_mode_through_a_nat_uses_udp_encapsulated_tunnel_without_nat_oa()
    {
        using var path = Create(tunnel: true);
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path, tunnel: true)));

        Assert.That(path.Right.Failures, Is.Empty, path.Right.Log.ToString());
        var l = path.Left.Installed.Single();
        var r = path.Right.Installed.Single();
        Assert.Multiple(() =>
        {
            Assert.That(l.Mode, Is.EqualTo(IpsecSaMode.Tunnel));
            Assert.That(l.Encapsulation, Is.EqualTo(new UdpEncapsulation(4500, 4500)));
            Assert.That(r.Encapsulation, Is.EqualTo(new UdpEncapsulation(4500, 4500)));
            Assert.That((r.LocalAddress, r.RemoteAddress), Is.EqualTo((NatPath.Server, NatPath.Public)));
        });
    }

    [Test]
    public void Aggressive_mode_through_a_nat_floats_for_its_third_message()
    {
        using var path = Create(mode: ExchangeMode.Aggressive);
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));

        Assert.That(path.Right.Failures, Is.Empty, path.Right.Log.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(path.Wire.Take(2).Select(w => (w.Source.Port, w.Destination.Port)), Is.All.EqualTo((500, 500)));
            Assert.That((path.Wire[2].Source.Port, path.Wire[2].Destination.Port), Is.EqualTo((4500, 4500)));
            Assert.That(path.Right.Log.Contains("INFO: NAT detected: PEER"), path.Right.Log.ToString());
            Assert.That(path.Right.Installed.Single().Encapsulation, Is.Not.Null);
            Assert.That(path.Left.Installed.Single().Encapsulation, Is.Not.Null);
        });
    }

    [Test]
    public void The_side_behind_the_nat_sends_keepalives_every_natt_keepalive()
    {
        using var path = Create(keepalive: TimeSpan.FromSeconds(20));
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));
        path.Keepalives.Clear();

        path.RunTimers(TimeSpan.FromSeconds(65));

        Assert.That(path.Keepalives, Has.Count.EqualTo(3));
        Assert.That(path.Keepalives, Is.All.EqualTo(new SendNatKeepalive(new IPEndPoint(NatPath.Private, 4500), new IPEndPoint(NatPath.Server, 4500))),
            "only left, behind the NAT, from and to the NAT-T port");
    }

    [Test]
    public void Without_a_nat_nothing_floats_and_the_sas_are_plain_esp()
    {
        using var path = Create(translate: false);
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));

        Assert.That(path.Right.Failures, Is.Empty, path.Right.Log.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(path.Left.Log.Contains("INFO: NAT not detected"), path.Left.Log.ToString());
            Assert.That(path.Wire.Select(w => w.Source.Port), Is.All.EqualTo(500));
            Assert.That(path.Left.Installed.Single().Encapsulation, Is.Null);
            Assert.That(path.Right.Installed.Single().Encapsulation, Is.Null);
        });
        path.RunTimers(TimeSpan.FromSeconds(65));
        Assert.That(path.Keepalives, Is.Empty);
    }

    [Test]
    public void Force_makes_esp_go_in_udp_even_without_a_nat()
    {
        using var path = Create(leftNatT: Tristate.Force, translate: false);
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));

        Assert.That(path.Right.Failures, Is.Empty, path.Right.Log.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(path.Right.Log.Contains("INFO: NAT detected: PEER"), path.Right.Log.ToString());
            Assert.That(path.Wire.Skip(4).Select(w => w.Source.Port), Is.All.EqualTo(4500));
            Assert.That(path.Left.Installed.Single().Encapsulation, Is.Not.Null);
            Assert.That(path.Right.Installed.Single().Encapsulation, Is.Not.Null);
        });
    }

    [Test]
    public void Nat_traversal_off_on_one_side_means_no_nat_t_and_no_udp_encapsulation()
    {
        using var path = Create(rightNatT: Tristate.Off);
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));

        Assert.That(path.Wire.Select(w => w.Destination.Port), Is.All.EqualTo(500));
        Assert.That(path.Left.Log.Contains("Selected NAT-T version"), Is.False, path.Left.Log.ToString());
        Assert.That(path.Left.Installed.Concat(path.Right.Installed).Select(p => p.Encapsulation), Is.All.Null);
    }

    [Test]
    public void A_kernel_mapping_change_moves_the_sas_and_ike_to_the_new_port_without_a_new_phase1()
    {
        using var path = Create(dpd: TimeSpan.FromSeconds(30));
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));
        var r = path.Right.Installed.Single();

        // conntrack flushed, the NAT now maps left's 4500 to 40123; the kernel saw ESP-in-UDP from there.
        path.Flush();
        path.PublicPortFor = _ => 40123;
        path.Translate(new IPEndPoint(NatPath.Private, 4500));
        path.Run(path.Right, path.Right.Engine.Inner.HandleNatMapping(
            new NatMappingChange(IpsecSaProtocol.Esp, r.InboundSpi, NatPath.Server, new IPEndPoint(NatPath.Public, 4500), new IPEndPoint(NatPath.Public, 40123)),
            path.Clock.GetUtcNow()));

        Assert.Multiple(() =>
        {
            Assert.That(path.Updates.Select(u => u.Update.Pair.Encapsulation), Is.EqualTo(new[] { new UdpEncapsulation(4500, 40123, NatPath.Server, NatPath.Private) }));
            Assert.That(path.Updates.Single().Update.Pair.InboundSpi, Is.EqualTo(r.InboundSpi));
            Assert.That(path.Right.Engine.Phase1Sas.Single().Remote, Is.EqualTo(new IPEndPoint(NatPath.Public, 40123)));
            Assert.That(path.Right.Log.Contains("INFO: NAT-T: peer mapping changed 10.77.0.3[4500] -> 10.77.0.3[40123]"), path.Right.Log.ToString());
        });

        // IKE follows: right's DPD reaches left through the new mapping, and no new phase 1 starts.
        path.RunTimers(TimeSpan.FromSeconds(100));
        Assert.Multiple(() =>
        {
            Assert.That(path.DroppedAtNat, Is.Zero);
            Assert.That(path.Right.Phase1Downs, Is.Empty, path.Right.Log.ToString());
            Assert.That(path.Right.Phase1Ups, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void An_authenticated_message_from_a_new_port_moves_ike_and_the_sas_there()
    {
        using var path = Create(dpd: TimeSpan.FromSeconds(30));
        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path)));

        path.Flush();
        path.PublicPortFor = _ => 40999;
        // Left's next DPD probe goes out through the new mapping.
        path.RunTimers(TimeSpan.FromSeconds(31));

        Assert.Multiple(() =>
        {
            Assert.That(path.Right.Engine.Phase1Sas.Single().Remote, Is.EqualTo(new IPEndPoint(NatPath.Public, 40999)));
            Assert.That(path.Updates.Where(u => u.Side == path.Right).Select(u => u.Update.Pair.Encapsulation!.RemotePort), Is.EqualTo(new[] { 40999 }));
            Assert.That(path.Right.Phase1Downs, Is.Empty);
        });
    }
    [Test]
    public void Two_clients_behind_the_same_nat_get_their_own_phase1_and_sas_and_one_initial_contact_spares_the_other()
    {
        using var path = Create(tunnel: true);
        var second = IPAddress.Parse("10.77.3.2");
        var secondLan = new TrafficSelector(IPNetwork.Parse("10.77.5.0/24"), 0, 0);
        var serverLan = new TrafficSelector(IPNetwork.Parse("10.77.2.0/24"), 0, 0);
        var secondScenario = new Scenario
        {
            Left = second, Right = NatPath.Server, Tunnel = true, Cipher = new(EncryptionAlgorithm.AesCbc, 128), Group = DhGroupId.Modp2048,
            Pfs = DhGroupId.Modp2048, EspCipher = new(Phase2Encryption.Aes, 128),
        };
        var client2 = path.AddClient(second, secondScenario.ConfigFor(true, r => r with { NatTraversal = Tristate.On },
            s => s with { LocalId = SainfoId.ForSubnet(secondLan.Network.BaseAddress, 24) }), Scenario.PskTable(NatPath.Server.ToString(), Scenario.Psk));
        var client2Policy = new IpsecPolicy(secondLan, serverLan, [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Tunnel, second, NatPath.Server, 0)], 3);
        client2.Policies.Policies.Add(client2Policy);
        path.Right.Policies.Policies.Add(new IpsecPolicy(serverLan, secondLan,
            [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Tunnel, NatPath.Server, NatPath.Public, 0)], 4));

        path.Run(path.Left, path.Left.Engine.HandleAcquire(LeftAcquire(path, tunnel: true)));
        path.Run(client2, client2.Engine.HandleAcquire(new AcquireRequest(2, second, NatPath.Server, client2Policy)));

        Assert.That(path.Right.Failures, Is.Empty, path.Right.Log.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(path.Right.Engine.Phase1Sas.Select(p => p.Remote.ToString()), Is.EquivalentTo(new[] { "10.77.0.3:4500", "10.77.0.3:4501" }));
            Assert.That(path.Right.Installed.Select(p => p.Encapsulation!.RemotePort), Is.EqualTo(new[] { 4500, 4501 }));
            Assert.That(path.Right.Installed.Select(p => p.RemoteSelector), Is.EqualTo(new[] { new TrafficSelector(IPNetwork.Parse("10.77.1.0/24"), 0, 0), secondLan }));
            Assert.That(path.Right.Engine.IpsecSas, Has.Count.EqualTo(2), "the second client's INITIAL-CONTACT purged nothing of the first's");
            Assert.That(path.Right.Deleted, Is.Empty);
            Assert.That(client2.Installed.Single().Encapsulation, Is.EqualTo(new UdpEncapsulation(4500, 4500)));
        });
    }
}
