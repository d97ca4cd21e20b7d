using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.NatTraversal;
using KernelIpsec.Ike.Exchanges.Phase2;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Engine;
using KernelIpsec.Tests.Ike.Exchanges;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.NatTraversal;

/// <summary>NAT-OA payloads in quick mode (RFC 3947 5.2): which one names the peer, and the ones we refuse.</summary>
[TestFixture, Category(Tier.Unit)]
public class NatOriginalAddressTests
{
    private static IsakmpSa Phase1(bool natInUse, NatTVersion version = NatTVersion.Rfc3947)
    {
        var sa = new IsakmpSa(false, ExchangeMode.Main, new IPEndPoint(NatPath.Server, 4500), new IPEndPoint(NatPath.Public, 4500),
            new Scenario().ConfigFor(left: false).Remotes[0], 1) { ResponderCookie = 2 };
        sa.NatT.Version = version;
        sa.NatT.PeerBehindNat = natInUse;
        return sa;
    }

    private static InboundMessage Message(params NatOriginalAddressPayload[] payloads)
    {
        var raws = payloads.Select(p => new RawPayload(p.Type, p.ToBodyArray(), [])).ToList();
        return new InboundMessage(new IsakmpHeader(1, 2, PayloadType.None, ExchangeType.QuickMode, IsakmpFlags.Encryption, 7, 0), raws, []);
    }

    [Test]
    public void The_initiators_own_address_is_its_nat_oai()
    {
        var found = QuickModeNatOa(Phase1(true), Message(new NatOriginalAddressPayload(NatPath.Private), new NatOriginalAddressPayload(NatPath.Server)), peerIsInitiator: true);
        Assert.That(found, Is.EqualTo(NatPath.Private));
    }

    [Test]
    public void The_responders_own_address_is_its_nat_oar()
    {
        var found = QuickModeNatOa(Phase1(true), Message(new NatOriginalAddressPayload(NatPath.Private), new NatOriginalAddressPayload(IPAddress.Parse("10.77.4.2"))), peerIsInitiator: false);
        Assert.That(found, Is.EqualTo(IPAddress.Parse("10.77.4.2")));
    }

    [Test]
    public void A_nat_oa_of_another_family_than_phase_1_is_refused_by_name()
    {
        var e = Assert.Throws<ExchangeException>(() =>
            QuickModeNatOa(Phase1(true), Message(new NatOriginalAddressPayload(IPAddress.Parse("fd77::1")), new NatOriginalAddressPayload(NatPath.Server)), peerIsInitiator: true));
        Assert.That(e!.Message, Is.EqualTo("NAT-OA payload with address fd77::1 of another family than the phase 1 peer 10.77.0.3"));
        Assert.That(e.Notify, Is.EqualTo(NotifyType.InvalidIdInformation));
    }

    [Test]
    public void More_than_two_nat_oa_payloads_are_refused()
    {
        var oa = new NatOriginalAddressPayload(NatPath.Private);
        var e = Assert.Throws<ExchangeException>(() => QuickModeNatOa(Phase1(true), Message(oa, oa, oa), peerIsInitiator: true));
        Assert.That(e!.Message, Is.EqualTo("3 NAT-OA payloads (at most 2 expected)"));
    }

    [Test]
    public void Without_a_nat_the_nat_oa_payloads_are_ignored_and_logged()
    {
        var log = new ListLogger();
        var found = QuickMode.ReadPeerOriginalAddress(Phase1(false), Message(new NatOriginalAddressPayload(NatPath.Private)), true, log);
        Assert.That(found, Is.Null);
        Assert.That(log.Contains("INFO: received 1 NAT-OA payload(s); ignored because no NAT was detected"), log.ToString());
    }

    [Test]
    public void Draft_peers_send_one_nat_oa_as_payload_131()
    {
        var found = QuickModeNatOa(Phase1(true, NatTVersion.Draft02N), Message(new NatOriginalAddressPayload(NatPath.Private, Draft: true)), peerIsInitiator: false);
        Assert.That(found, Is.EqualTo(NatPath.Private));
    }

    private static IPAddress? QuickModeNatOa(IsakmpSa sa, InboundMessage message, bool peerIsInitiator) =>
        QuickMode.ReadPeerOriginalAddress(sa, message, peerIsInitiator, new ListLogger());
}
