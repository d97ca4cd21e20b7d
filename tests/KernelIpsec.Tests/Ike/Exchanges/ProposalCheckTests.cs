using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;
using SecurityAssociationPayload = KernelIpsec.Ike.Wire.SecurityAssociationPayload;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>racoon's proposal_check levels for phase 1 and phase 2 lifetimes, key lengths and PFS, and the SA codecs.</summary>
[TestFixture, Category(Tier.Unit)]
public class ProposalCheckTests
{
    private static Phase1Offer Offer(int keyBits, uint lifetime, EncryptionAlgorithm enc = EncryptionAlgorithm.AesCbc) =>
        new(1, enc, keyBits, HashAlgorithm.Sha1, Phase1Offer.PreSharedKey, DhGroupId.Modp2048, lifetime, 0);

    // peer keylen, peer lifetime, level -> accepted lifetime (null = refused); ours: aes 128, 3600 s
    [TestCase(128, 3600u, ProposalCheckLevel.Strict, 3600u)]
    [TestCase(128, 1800u, ProposalCheckLevel.Strict, 1800u)]
    [TestCase(128, 7200u, ProposalCheckLevel.Strict, null)]
    [TestCase(256, 3600u, ProposalCheckLevel.Strict, 3600u)]
    [TestCase(128, 7200u, ProposalCheckLevel.Claim, 3600u)]
    [TestCase(128, 7200u, ProposalCheckLevel.Obey, 7200u)]
    [TestCase(256, 3600u, ProposalCheckLevel.Exact, null)]
    [TestCase(128, 1800u, ProposalCheckLevel.Exact, null)]
    [TestCase(128, 3600u, ProposalCheckLevel.Exact, 3600u)]
    [TestCase(0, 3600u, ProposalCheckLevel.Exact, 3600u)]
    public void Phase_1_lifetime_and_key_length_follow_the_level(int peerKey, uint peerLifetime, ProposalCheckLevel level, uint? expected)
    {
        var chosen = Phase1ProposalMatcher.Select([Offer(peerKey, peerLifetime)], [Offer(128, 3600)], level, out var why);
        Assert.That(chosen?.LifetimeSeconds, Is.EqualTo(expected), why);
    }

    [Test]
    public void Phase_1_takes_the_first_acceptable_transform_in_the_initiators_order()
    {
        var peer = new[] { Offer(128, 3600, EncryptionAlgorithm.TripleDesCbc) with { TransformNumber = 1 }, Offer(128, 3600) with { TransformNumber = 2 }, Offer(256, 3600) with { TransformNumber = 3 } };
        var chosen = Phase1ProposalMatcher.Select(peer, [Offer(256, 3600), Offer(128, 3600)], ProposalCheckLevel.Strict, out _);
        Assert.That(chosen!.TransformNumber, Is.EqualTo(2));
    }

    [Test]
    public void Phase_1_sa_payload_round_trips_through_the_wire()
    {
        var offers = new[] { Offer(256, 28800), Offer(0, 3600, EncryptionAlgorithm.TripleDesCbc) with { TransformNumber = 2 } };
        var body = Phase1SaCodec.Build(offers).ToBodyArray();
        var parsed = Phase1SaCodec.Parse(SecurityAssociationPayload.Read(body).Value, []);
        Assert.That(parsed, Is.EqualTo(offers));
    }

    [TestCase(144)]
    [TestCase(160)]
    [TestCase(32640)]
    public void Phase_1_aes_with_a_key_length_aes_cannot_take_is_refused_where_proposals_are_chosen(int keyBits)
    {
        var body = Phase1SaCodec.Build([Offer(keyBits, 3600)]).ToBodyArray();
        var skipped = new List<string>();
        var parsed = Phase1SaCodec.Parse(SecurityAssociationPayload.Read(body).Value, skipped);
        Assert.That(parsed, Is.Empty);
        Assert.That(skipped.Single(), Does.Contain($"key length {keyBits} bits is not allowed for aes (128..256 in steps of 64)"));
    }

    private static SainfoConfig Sainfo(DhGroupId? pfs = null, int? key = 128) => new()
    {
        Lifetime = TimeSpan.FromHours(1),
        PfsGroup = pfs,
        EncryptionAlgorithms = [new(Phase2Encryption.Aes, key)],
        AuthenticationAlgorithms = [Phase2Authentication.HmacSha1],
        CompressionAlgorithms = [CompressionAlgorithm.Deflate],
    };

    private static readonly SaTemplate[] EspTransport = [new(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0)];

    private static Phase2Proposal EspProposal(int keyBits, uint seconds, DhGroupId? group, IpsecSaMode mode = IpsecSaMode.Transport, uint kilobytes = 0) =>
        new(1, [new Phase2ProtocolOffer(IpsecSaProtocol.Esp, 0x12345678, [new Phase2Transform(1, 12, mode, keyBits, 2, seconds, kilobytes, group)])]);

    [TestCase(256, 3600u, ProposalCheckLevel.Strict, true)]
    [TestCase(128, 3600u, ProposalCheckLevel.Strict, true)]
    [TestCase(192, 3600u, ProposalCheckLevel.Exact, false)]
    [TestCase(128, 5000u, ProposalCheckLevel.Strict, false)]
    [TestCase(128, 5000u, ProposalCheckLevel.Obey, true)]
    public void Phase_2_key_length_and_lifetime_follow_the_level(int keyBits, uint seconds, ProposalCheckLevel level, bool accepted)
    {
        var choice = Phase2ProposalMatcher.Select([EspProposal(keyBits, seconds, null)], EspTransport, Sainfo(), level, out var why);
        Assert.That(choice is not null, Is.EqualTo(accepted), why);
    }

    [Test]
    public void Phase_2_refuses_a_shorter_key_under_strict()
    {
        var choice = Phase2ProposalMatcher.Select([EspProposal(128, 3600, null)], EspTransport, Sainfo(key: 256), ProposalCheckLevel.Strict, out var why);
        Assert.That(choice, Is.Null);
        Assert.That(why, Does.Contain("key length mismatched"));
    }

    [Test]
    public void Phase_2_mode_must_match_the_policy()
    {
        var choice = Phase2ProposalMatcher.Select([EspProposal(128, 3600, null, IpsecSaMode.Tunnel)], EspTransport, Sainfo(), ProposalCheckLevel.Obey, out var why);
        Assert.That(choice, Is.Null);
        Assert.That(why, Does.Contain("encmode mismatched: peer Tunnel, policy Transport"));
    }

    [TestCase(null, DhGroupId.Modp2048, ProposalCheckLevel.Strict, true)]
    [TestCase(DhGroupId.Modp1024, DhGroupId.Modp2048, ProposalCheckLevel.Strict, false)]
    [TestCase(DhGroupId.Modp1024, null, ProposalCheckLevel.Strict, false)]
    [TestCase(DhGroupId.Modp1024, null, ProposalCheckLevel.Obey, true)]
    [TestCase(null, null, ProposalCheckLevel.Exact, true)]
    [TestCase(null, DhGroupId.Modp2048, ProposalCheckLevel.Exact, false)]
    public void Pfs_group_follows_the_level(DhGroupId? ours, DhGroupId? peers, ProposalCheckLevel level, bool accepted)
    {
        var choice = Phase2ProposalMatcher.Select([EspProposal(128, 3600, peers)], EspTransport, Sainfo(ours), level, out var why);
        Assert.That(choice is not null, Is.EqualTo(accepted), why);
    }

    [Test]
    public void Kilobyte_lifetimes_are_carried_and_kept()
    {
        var body = Phase2SaCodec.Build([EspProposal(128, 3600, DhGroupId.Modp2048, kilobytes: 4608000)]).ToBodyArray();
        var parsed = Phase2SaCodec.Parse(SecurityAssociationPayload.Read(body).Value, []);
        var choice = Phase2ProposalMatcher.Select(parsed, EspTransport, Sainfo(DhGroupId.Modp2048), ProposalCheckLevel.Strict, out var why);
        Assert.That(choice, Is.Not.Null, why);
        Assert.That(choice!.LifetimeKilobytes, Is.EqualTo(4608000u));
        Assert.That(choice.LifetimeSeconds, Is.EqualTo(3600u));
        Assert.That(parsed[0].Protocols[0].Spi, Is.EqualTo(0x12345678u));
    }

    [Test]
    public void A_bundle_must_have_exactly_the_policys_protocols()
    {
        SaTemplate[] espAh = [new(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0), new(IpsecSaProtocol.Ah, IpsecSaMode.Transport, null, null, 0)];
        var choice = Phase2ProposalMatcher.Select([EspProposal(128, 3600, null)], espAh, Sainfo(), ProposalCheckLevel.Strict, out var why);
        Assert.That(choice, Is.Null);
        Assert.That(why, Does.Contain("protocols ESP differ from the policy's AH+ESP"));
    }

    [Test]
    public void Aes_without_a_configured_length_is_offered_with_key_length_128_as_racoon_does()
    {
        var remote = new RemoteConfig
        {
            Name = "peer",
            ExchangeModes = [ExchangeMode.Main],
            Proposals = [new Phase1Proposal { Encryption = new(EncryptionAlgorithm.AesCbc, null), Hash = HashAlgorithm.Sha1, AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Modp2048 },
                         new Phase1Proposal { Encryption = new(EncryptionAlgorithm.TripleDesCbc, null), Hash = HashAlgorithm.Sha1, AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Modp2048 }],
        };
        Assert.That(Phase1Offer.FromConfig(remote).Select(o => o.KeyBits), Is.EqualTo(new[] { 128, 0 }));
        var sainfo = Sainfo(key: null) with { EncryptionAlgorithms = [new(Phase2Encryption.Aes, null), new(Phase2Encryption.TripleDes, null)] };
        var offer = Phase2Offers.Build(EspTransport, sainfo, new Dictionary<IpsecSaProtocol, uint> { [IpsecSaProtocol.Esp] = 1 });
        Assert.That(offer[0].Protocols[0].Transforms.Select(t => t.KeyBits), Is.EqualTo(new[] { 128, 0 }));
    }
}
