using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;
using IsakmpFlags = KernelIpsec.Ike.Wire.IsakmpFlags;
using IsakmpMessage = KernelIpsec.Ike.Wire.IsakmpMessage;
using NoncePayload = KernelIpsec.Ike.Wire.NoncePayload;
using SecurityAssociationPayload = KernelIpsec.Ike.Wire.SecurityAssociationPayload;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>Bundles, IPComp, lifetimes and proposal_check, the commit bit, nonce_size, several quick modes, rekeying.</summary>
[TestFixture, Category(Tier.Unit)]
public class Phase2FeatureTests
{
    private static EnginePair Negotiate(Scenario scenario, Func<RemoteConfig, RemoteConfig>? adjustRight = null, Func<SainfoConfig, SainfoConfig>? adjustRightSainfo = null)
    {
        var pair = scenario.CreatePair(adjustRight: adjustRight, adjustRightSainfo: adjustRightSainfo);
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        return pair;
    }

    [Test]
    public void An_esp_and_ah_bundle_installs_both_protocols_with_their_own_keys()
    {
        var scenario = new Scenario { Bundle = [IpsecSaProtocol.Esp, IpsecSaProtocol.Ah] };
        using var pair = Negotiate(scenario);

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Ah, IpsecSaMode.Transport, 3, 0, 2);
        var ah = pair.Left.Installed.Single(p => p.Protocol == IpsecSaProtocol.Ah);
        Assert.That(ah.InboundKeys.Authentication, Has.Length.EqualTo(20));
        Assert.That(pair.Left.Log.Contains($"INFO: IPsec-SA established: AH/Transport 10.77.0.2[0]->10.77.0.1[0] spi={ah.InboundSpi}(0x{ah.InboundSpi:x})"), pair.Left.Log.ToString());
    }

    [Test]
    public void Ipcomp_with_esp_negotiates_cpis_and_no_keys()
    {
        var scenario = new Scenario { Bundle = [IpsecSaProtocol.IpComp, IpsecSaProtocol.Esp] };
        using var pair = Negotiate(scenario);

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
        var l = pair.Left.Installed.Single(p => p.Protocol == IpsecSaProtocol.IpComp);
        var r = pair.Right.Installed.Single(p => p.Protocol == IpsecSaProtocol.IpComp);
        Assert.Multiple(() =>
        {
            Assert.That(l.TransformId, Is.EqualTo((int)CompressionAlgorithm.Deflate));
            Assert.That(l.InboundSpi, Is.EqualTo(r.OutboundSpi));
            Assert.That(l.OutboundSpi, Is.EqualTo(r.InboundSpi));
            Assert.That(l.InboundSpi, Is.LessThanOrEqualTo(0xffffu), "a CPI is 16 bits");
            Assert.That(l.InboundKeys.Encryption.Concat(l.InboundKeys.Authentication), Is.Empty);
        });
    }

    [Test]
    public void Claim_shortens_the_lifetime_and_tells_the_initiator_with_responder_lifetime()
    {
        var scenario = new Scenario { Phase2Lifetime = TimeSpan.FromHours(1) };
        using var pair = Negotiate(scenario, r => r with { ProposalCheck = ProposalCheckLevel.Claim }, s => s with { Lifetime = TimeSpan.FromMinutes(30) });

        Assert.That(pair.Left.Installed.Single().Lifetime.Seconds, Is.EqualTo(1800UL), pair.Left.Log.ToString());
        Assert.That(pair.Right.Installed.Single().Lifetime.Seconds, Is.EqualTo(1800UL));
        Assert.That(pair.Left.Log.Contains("INFO: received RESPONDER-LIFETIME: 1800 seconds"), pair.Left.Log.ToString());
    }

    [TestCase(ProposalCheckLevel.Obey, 7200UL)]
    [TestCase(ProposalCheckLevel.Strict, null)]
    [TestCase(ProposalCheckLevel.Exact, null)]
    public void A_longer_initiator_lifetime_is_judged_by_proposal_check(ProposalCheckLevel level, ulong? installed)
    {
        var scenario = new Scenario { Phase2Lifetime = TimeSpan.FromHours(2) };
        using var pair = Negotiate(scenario, r => r with { ProposalCheck = level }, s => s with { Lifetime = TimeSpan.FromHours(1) });

        if (installed is { } seconds)
        {
            Assert.That(pair.Right.Installed.Single().Lifetime.Seconds, Is.EqualTo(seconds));
        }
        else
        {
            Assert.That(pair.Right.Installed, Is.Empty);
            Assert.That(pair.Right.Log.Contains(level == ProposalCheckLevel.Strict ? "long lifetime proposed: 7200 > 3600" : "lifetime mismatched: peer 7200, ours 3600"), pair.Right.Log.ToString());
        }
    }

    [Test]
    public void Pfs_required_by_the_responder_but_not_offered_is_refused_under_strict()
    {
        var scenario = new Scenario { Pfs = null };
        using var pair = Negotiate(scenario, adjustRightSainfo: s => s with { PfsGroup = DhGroupId.Modp1024 });

        Assert.That(pair.Right.Installed, Is.Empty);
        Assert.That(pair.Right.Log.Contains("pfs group mismatched: peer none, ours Modp1024"), pair.Right.Log.ToString());
    }

    [Test]
    public void The_commit_bit_makes_the_initiator_wait_for_connected()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        pair.Filter = (n, _, bytes) =>
        {
            if (n != 7)
            {
                return bytes;
            }
            var copy = (byte[])bytes.Clone();
            copy[19] |= (byte)IsakmpFlags.Commit; // the flags are outside HASH(1): an initiator may set them
            return copy;
        };
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
        Assert.That(pair.Sent, Has.Count.EqualTo(10), "QM4 with CONNECTED follows QM3");
        Assert.That(pair.Sent[7].Bytes[19] & (byte)IsakmpFlags.Commit, Is.Not.Zero, "the responder echoed the commit bit in QM2");
    }

    [Test]
    public void Nonce_size_sets_the_length_of_our_nonces()
    {
        var scenario = new Scenario();
        using var pair = new EnginePair(scenario.ConfigFor(true, r => r with { NonceSize = 32 }), scenario.ConfigFor(false),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));
        pair.Left.Policies.Policies.Add(scenario.PolicyFor(true));
        pair.Right.Policies.Policies.Add(scenario.PolicyFor(false));
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        var mm3 = IsakmpMessage.Read(pair.Sent[2].Bytes).Value;
        var mm4 = IsakmpMessage.Read(pair.Sent[3].Bytes).Value;
        Assert.That(mm3.Payloads!.Find<NoncePayload>()!.Data, Has.Length.EqualTo(32));
        Assert.That(mm4.Payloads!.Find<NoncePayload>()!.Data, Has.Length.EqualTo(16), "racoon's default nonce_size");
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1));
    }

    [Test]
    public void Several_quick_modes_run_on_one_isakmp_sa()
    {
        var scenario = new Scenario();
        // sainfo anonymous: racoon compares the upper-layer protocol of address sainfos, these policies differ in it.
        static SainfoConfig Anonymous(SainfoConfig s) => s with { LocalId = null, RemoteId = null };
        using var pair = new EnginePair(scenario.ConfigFor(true, null, Anonymous), scenario.ConfigFor(false, null, Anonymous),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));
        var tcpLeft = scenario.PolicyFor(true) with { Local = TrafficSelector.Host(Scenario.LeftAddress, 6), Remote = TrafficSelector.Host(Scenario.RightAddress, 6), Index = 11 };
        var udpLeft = scenario.PolicyFor(true) with { Local = TrafficSelector.Host(Scenario.LeftAddress, 17), Remote = TrafficSelector.Host(Scenario.RightAddress, 17), Index = 12 };
        pair.Right.Policies.Policies.Add(scenario.PolicyFor(false) with { Local = TrafficSelector.Host(Scenario.RightAddress, 6), Remote = TrafficSelector.Host(Scenario.LeftAddress, 6) });
        pair.Right.Policies.Policies.Add(scenario.PolicyFor(false) with { Local = TrafficSelector.Host(Scenario.RightAddress, 17), Remote = TrafficSelector.Host(Scenario.LeftAddress, 17) });

        var first = pair.Left.Engine.HandleAcquire(new AcquireRequest(1, Scenario.LeftAddress, Scenario.RightAddress, tcpLeft));
        var second = pair.Left.Engine.HandleAcquire(new AcquireRequest(2, Scenario.LeftAddress, Scenario.RightAddress, udpLeft));
        pair.Run(pair.Left, [.. first, .. second]);

        Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty, pair.Right.Log.ToString());
        Assert.That(pair.Left.Engine.Phase1Sas, Has.Count.EqualTo(1));
        Assert.That(pair.Left.Installed.Select(p => p.LocalSelector.Protocol), Is.EquivalentTo(new byte[] { 6, 17 }));
        Assert.That(pair.Right.Installed, Has.Count.EqualTo(2));
        foreach (var l in pair.Left.Installed)
        {
            var r = pair.Right.Installed.Single(x => x.OutboundSpi == l.InboundSpi);
            Assert.That(r.OutboundKeys.Encryption, Is.EqualTo(l.InboundKeys.Encryption));
        }
    }

    [Test]
    public void A_soft_expire_of_an_sa_we_initiated_negotiates_a_new_one()
    {
        var scenario = new Scenario();
        using var pair = Negotiate(scenario);
        var old = pair.Left.Installed.Single();

        pair.Run(pair.Left, pair.Left.Engine.HandleExpire(new ExpireEvent(IpsecSaProtocol.Esp, old.OutboundSpi, Scenario.RightAddress, Hard: false)));

        Assert.That(pair.Left.Installed, Has.Count.EqualTo(2));
        Assert.That(pair.Right.Installed, Has.Count.EqualTo(2));
        Assert.That(pair.Left.Engine.Phase1Sas, Has.Count.EqualTo(1), "the ISAKMP SA is reused");
        Assert.That(pair.Left.Installed[1].InboundSpi, Is.Not.EqualTo(old.InboundSpi));
    }

    [Test]
    public void The_other_direction_s_soft_expire_of_a_replaced_pair_does_not_rekey_again()
    {
        // Seen in the VM: the inbound and outbound SAs of one pair were installed 3 s apart (the first
        // install loads crypto modules), so their soft expires came 3 s apart and each made a new pair.
        var scenario = new Scenario();
        using var pair = Negotiate(scenario);
        var old = pair.Left.Installed.Single();
        pair.Run(pair.Left, pair.Left.Engine.HandleExpire(new ExpireEvent(IpsecSaProtocol.Esp, old.InboundSpi, Scenario.LeftAddress, Hard: false)));
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(2));

        pair.Run(pair.Left, pair.Left.Engine.HandleExpire(new ExpireEvent(IpsecSaProtocol.Esp, old.OutboundSpi, Scenario.RightAddress, Hard: false)));

        Assert.That(pair.Left.Installed, Has.Count.EqualTo(2), "one rekey per pair");
        Assert.That(pair.Right.Installed, Has.Count.EqualTo(2));
    }

    [Test]
    public void The_responder_does_not_rekey_on_a_soft_expire()
    {
        var scenario = new Scenario();
        using var pair = Negotiate(scenario);
        var sa = pair.Right.Installed.Single();

        pair.Run(pair.Right, pair.Right.Engine.HandleExpire(new ExpireEvent(IpsecSaProtocol.Esp, sa.InboundSpi, Scenario.RightAddress, Hard: false)));

        Assert.That(pair.Right.Installed, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_missing_sainfo_fails_the_acquire_with_its_selectors()
    {
        var scenario = new Scenario();
        using var pair = new EnginePair(scenario.ConfigFor(true) with { Sainfos = [] }, scenario.ConfigFor(false),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));
        pair.Right.Policies.Policies.Add(scenario.PolicyFor(false));
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Left.Failures.Single().Reason, Is.EqualTo("failed to get sainfo for 10.77.0.1/32[any] any <=> 10.77.0.2/32[any] any."));
    }

    [Test]
    public void The_kernel_refusing_an_spi_fails_quick_mode_with_its_error()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        pair.Right.FailSpiAllocation = true;
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Right.Failures.Single().Reason, Is.EqualTo("failed to get SPI for ESP: No such process"));
        Assert.That(pair.Right.Installed, Is.Empty);
    }

    [Test]
    public void A_responder_without_a_policy_for_the_proposed_traffic_refuses_it()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();
        pair.Right.Policies.Policies.Clear();
        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Right.Log.Contains("ERROR: no policy found: 10.77.0.2/32[any] any <=> 10.77.0.1/32[any] any"), pair.Right.Log.ToString());
        Assert.That(pair.Left.Log.Contains("ERROR: notification INVALID-ID-INFORMATION received in informational exchange."), pair.Left.Log.ToString());
    }

    [Test]
    public void Several_transforms_are_offered_and_the_responder_takes_the_first_it_accepts()
    {
        var scenario = new Scenario();
        // Left offers racoon's permutation aes256-sha256, aes256-sha1, 3des-sha256, 3des-sha1; right accepts only 3des-sha1.
        using var pair = new EnginePair(
            scenario.ConfigFor(true, null, s => s with
            {
                EncryptionAlgorithms = [new(Phase2Encryption.Aes, 256), new(Phase2Encryption.TripleDes, null)],
                AuthenticationAlgorithms = [Phase2Authentication.HmacSha256, Phase2Authentication.HmacSha1],
            }),
            scenario.ConfigFor(false),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));
        pair.Left.Policies.Policies.Add(scenario.PolicyFor(true));
        pair.Right.Policies.Policies.Add(scenario.PolicyFor(false));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
    }

    [Test]
    public void Several_phase_1_proposals_are_offered_in_the_order_written()
    {
        var scenario = new Scenario();
        Phase1Proposal strong = new() { Encryption = new(EncryptionAlgorithm.AesCbc, 256), Hash = HashAlgorithm.Sha2_256, AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Modp2048 };
        Phase1Proposal classic = new() { Encryption = new(EncryptionAlgorithm.TripleDesCbc, null), Hash = HashAlgorithm.Sha1, AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Modp1024 };
        using var pair = new EnginePair(scenario.ConfigFor(true, r => r with { Proposals = [strong, classic] }), scenario.ConfigFor(false, r => r with { Proposals = [classic] }),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));
        pair.Left.Policies.Policies.Add(scenario.PolicyFor(true));
        pair.Right.Policies.Policies.Add(scenario.PolicyFor(false));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        var mm1 = IsakmpMessage.Read(pair.Sent[0].Bytes).Value.Payloads!.Find<SecurityAssociationPayload>()!;
        Assert.That(mm1.Proposals[0].Transforms.Select(t => t.Number), Is.EqualTo(new byte[] { 1, 2 }));
        var mm2 = IsakmpMessage.Read(pair.Sent[1].Bytes).Value.Payloads!.Find<SecurityAssociationPayload>()!;
        Assert.That(mm2.Proposals[0].Transforms.Single().Number, Is.EqualTo(2), "the responder answers with the initiator's transform #2");
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_passive_remote_never_initiates()
    {
        var scenario = new Scenario();
        using var pair = new EnginePair(scenario.ConfigFor(true, r => r with { Passive = true }), scenario.ConfigFor(false),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Sent, Is.Empty);
        // racoon chooses the section for a kernel ACQUIRE among the non-passive ones only (GETRMCONF_F_NO_PASSIVE).
        Assert.That(pair.Left.Failures.Single().Reason, Is.EqualTo("no configuration found for 10.77.0.2."));
    }

    [Test]
    public void Aggressive_mode_refuses_proposals_with_different_groups()
    {
        var scenario = new Scenario { Mode = ExchangeMode.Aggressive };
        Phase1Proposal a = new() { Encryption = new(EncryptionAlgorithm.AesCbc, 128), Hash = HashAlgorithm.Sha1, AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Modp2048 };
        using var pair = new EnginePair(scenario.ConfigFor(true, r => r with { Proposals = [a, a with { DhGroup = DhGroupId.Modp1024 }] }), scenario.ConfigFor(false),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("10.77.0.1", Scenario.Psk));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Sent, Is.Empty);
        Assert.That(pair.Left.Log.Contains("ERROR: DH group must be equal in all proposals when aggressive mode is used."), pair.Left.Log.ToString());
    }
}
