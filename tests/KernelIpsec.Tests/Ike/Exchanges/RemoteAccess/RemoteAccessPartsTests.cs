using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Exchanges.Transaction;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Tests.Ike.Exchanges.RemoteAccess;

/// <summary>The pieces under XAuth and Mode Config: method mapping and roles, the address pool, the attribute rules.</summary>
[TestFixture, Category(Tier.Unit)]
public class RemoteAccessPartsTests
{
    [TestCase(AuthenticationMethod.XauthPskServer, (ushort)65001)]
    [TestCase(AuthenticationMethod.XauthPskClient, (ushort)65001)]
    [TestCase(AuthenticationMethod.XauthRsaServer, (ushort)65005)]
    [TestCase(AuthenticationMethod.XauthRsaClient, (ushort)65005)]
    public void Xauth_methods_go_on_the_wire_as_the_init_value_whoever_is_server(AuthenticationMethod method, ushort wire)
    {
        Assert.That(Phase1Offer.WireAuthenticationMethod(method), Is.EqualTo(wire));
    }

    [TestCase(AuthenticationMethod.HybridRsaServer)]
    [TestCase(AuthenticationMethod.HybridRsaClient)]
    public void Hybrid_methods_go_on_the_wire_as_hybrid_init_rsa(AuthenticationMethod method)
    {
        Assert.That(Phase1Offer.WireAuthenticationMethod(method), Is.EqualTo(64221));
        Assert.That(Phase1Offer.BaseMethod(64222), Is.EqualTo(Phase1Offer.RsaSignature));
    }

    [Test]
    public void Dss_variants_stay_refused_as_racoon_refuses_them()
    {
        Assert.That(Phase1Offer.WireAuthenticationMethod(AuthenticationMethod.HybridDssServer), Is.Null);
        Assert.That(Phase1Offer.WireAuthenticationMethod(AuthenticationMethod.XauthDssClient), Is.Null);
    }

    [TestCase((ushort)65001, (ushort)1)]
    [TestCase((ushort)65002, (ushort)1)]
    [TestCase((ushort)65005, (ushort)3)]
    [TestCase((ushort)65006, (ushort)3)]
    [TestCase((ushort)1, (ushort)1)]
    public void Phase1_itself_authenticates_with_the_base_method(ushort wire, ushort baseMethod)
    {
        Assert.That(Phase1Offer.BaseMethod(wire), Is.EqualTo(baseMethod));
    }

    [TestCase((ushort)65001)]
    [TestCase((ushort)65002)]
    public void An_xauth_psk_server_accepts_the_init_and_the_resp_value(ushort peerValue)
    {
        var ours = new Phase1Offer(1, EncryptionAlgorithm.AesCbc, 128, HashAlgorithm.Sha1, 65001, DhGroupId.Modp2048, 28800, 0);
        var peer = ours with { AuthenticationMethod = peerValue };

        Assert.That(Phase1ProposalMatcher.Select([peer], [ours], ProposalCheckLevel.Strict, out _), Is.Not.Null);
        Assert.That(Phase1ProposalMatcher.Select([peer with { AuthenticationMethod = 1 }], [ours], ProposalCheckLevel.Strict, out _), Is.Null,
            "plain PSK is not XAuth");
    }

    [TestCase(AuthenticationMethod.XauthPskServer, "Server")]
    [TestCase(AuthenticationMethod.XauthPskClient, "Client")]
    [TestCase(AuthenticationMethod.XauthRsaServer, "Server")]
    [TestCase(AuthenticationMethod.PreSharedKey, "None")]
    public void The_xauth_role_comes_from_our_own_proposal(AuthenticationMethod method, string role)
    {
        var remote = new RemoteConfig
        {
            Name = "anonymous",
            Proposals = [new Phase1Proposal { Encryption = new(EncryptionAlgorithm.AesCbc, 128), Hash = HashAlgorithm.Sha1, AuthenticationMethod = method, DhGroup = DhGroupId.Modp2048 }],
        };
        var negotiated = Phase1Offer.WireAuthenticationMethod(method)!.Value;

        Assert.That(XauthRoles.For(remote, negotiated).ToString(), Is.EqualTo(role));
    }

    private static readonly ModeConfigServer Small = new() { Network4 = IPAddress.Parse("10.77.9.1"), PoolSize = 2 };
    private static readonly IPAddress PeerA = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress PeerB = IPAddress.Parse("192.0.2.2");

    [Test]
    public void The_pool_hands_out_the_first_free_slot_and_none_when_exhausted()
    {
        var pool = new AddressPool();
        object a = new(), b = new(), c = new();

        Assert.That(pool.Acquire(Small, a, "alice", PeerA), Is.EqualTo(0));
        Assert.That(pool.Acquire(Small, b, "bob", PeerB), Is.EqualTo(1));
        Assert.That(pool.Acquire(Small, c, "carol", PeerA), Is.Null, "pool_size 2");
        Assert.That(AddressPool.AddressOf(Small, 1), Is.EqualTo(IPAddress.Parse("10.77.9.2")));

        Assert.That(pool.Release(a), Is.EqualTo(0));
        Assert.That(pool.Acquire(Small, c, "carol", PeerA), Is.EqualTo(0), "a released slot is handed out again");
        Assert.That(pool.Release(a), Is.Null, "releasing twice frees nothing");
    }

    [Test]
    public void One_user_from_one_peer_keeps_one_address_across_phase1s()
    {
        var pool = new AddressPool();
        object old = new(), rekeyed = new(), otherDevice = new();

        Assert.That(pool.Acquire(Small, old, "alice", PeerA), Is.EqualTo(0));
        Assert.That(pool.Acquire(Small, rekeyed, "alice", PeerA), Is.EqualTo(0), "same user, same peer: same address");
        Assert.That(pool.Acquire(Small, otherDevice, "alice", PeerB), Is.EqualTo(1), "another peer gets its own");
        Assert.That(pool.Release(old), Is.Null, "still held by the rekeyed phase 1");
        Assert.That(pool.Release(rekeyed), Is.EqualTo(0));
    }

    [Test]
    public void Repeated_list_attributes_are_fine_repeated_single_ones_are_not()
    {
        var dns = DataAttribute.Variable((ushort)ModeCfgAttributeType.InternalIp4Dns, [10, 0, 0, 53]);
        var address = DataAttribute.Variable((ushort)ModeCfgAttributeType.InternalIp4Address, [10, 0, 0, 1]);

        Assert.That(ModeCfgAttributeRules.Check(new AttributePayload(ModeCfgMessageType.Reply, 1, [address, dns, dns])), Is.Empty);
        Assert.Throws<ExchangeException>(() => ModeCfgAttributeRules.Check(new AttributePayload(ModeCfgMessageType.Reply, 1, [address, address])));
        Assert.That(ModeCfgAttributeRules.Check(new AttributePayload(ModeCfgMessageType.Request, 1, [DataAttribute.Variable(29000, [])])), Is.EqualTo(new ushort[] { 29000 }));
        Assert.Throws<ExchangeException>(() => ModeCfgAttributeRules.Check(new AttributePayload(ModeCfgMessageType.Set, 1, [DataAttribute.Variable(29000, [])])));
    }
}
