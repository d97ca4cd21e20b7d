using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

[TestFixture, Category(Tier.Unit)]
public sealed class SelectionTests
{
    private const string Proposal = "proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }";

    private static RacoonConfig Config() => ConfigTestFiles.ParseOk($$"""
        remote anonymous { exchange_mode main, aggressive; {{Proposal}} }
        remote 10.0.0.216 { exchange_mode main; verify_identifier on; peers_identifier fqdn "a.example"; {{Proposal}} }
        remote 10.0.0.217 inherit 10.0.0.216 { passive off; }
        remote 10.0.0.218 inherit anonymous { passive on; }
        sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        sainfo subnet 10.1.0.0/24 any anonymous { encryption_algorithm 3des; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        sainfo address 10.1.0.5 any address 10.2.0.5 any { encryption_algorithm aes 256; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        sainfo anonymous from fqdn "vip.example" { encryption_algorithm camellia; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        """);

    [Test]
    public void RemoteByAddressFallsBackToAnonymous()
    {
        var config = Config();
        RemoteConfig? Pick(string address, ExchangeMode? mode = null) =>
            RemoteSelector.Select(config.Remotes, new RemoteQuery { Peer = IPAddress.Parse(address), ExchangeMode = mode });

        Assert.That(Pick("10.0.0.216")!.Name, Is.EqualTo("10.0.0.216[500]"));
        Assert.That(Pick("10.0.0.217")!.Name, Is.EqualTo("10.0.0.217[500]"));
        Assert.That(Pick("10.0.0.217")!.Inherits, Is.EqualTo("10.0.0.216[500]"));
        Assert.That(Pick("10.0.0.218")!.Passive, Is.True);
        Assert.That(Pick("192.0.2.1")!.IsAnonymous, Is.True);
        Assert.That(Pick("10.0.0.216", ExchangeMode.Aggressive)!.IsAnonymous, Is.True, "the per-host section does not accept aggressive mode");
        Assert.That(RemoteSelector.Select(config.Remotes, new RemoteQuery { Peer = IPAddress.Parse("10.0.0.218"), ExcludePassive = true })!.IsAnonymous, Is.True);
        Assert.That(RemoteSelector.Select(config.Remotes, new RemoteQuery { Peer = IPAddress.Parse("192.0.2.1"), ExcludeAnonymous = true }), Is.Null);
    }

    [Test]
    public void AnInheritedSectionCannotSetRemoteAddress()
    {
        var error = ConfigTestFiles.FirstError($"remote 10.0.0.1 {{ exchange_mode main; {Proposal} }}\nremote \"x\" inherit 10.0.0.1 {{ remote_address 10.0.0.9; }}\n", "q.conf");

        Assert.That(error.ToString(), Is.EqualTo("q.conf:2:31: error: remote_address already specified"));
    }

    [Test]
    public void VerifyIdentifierRejectsAWrongPeerId()
    {
        var config = Config();
        bool IsA(IdentifierConfig id) => id.Value == "a.example";
        bool IsB(IdentifierConfig id) => id.Value == "b.example";

        Assert.That(RemoteSelector.Select(config.Remotes, new RemoteQuery { Peer = IPAddress.Parse("10.0.0.216"), PeerIdentityMatches = IsA })!.Name, Is.EqualTo("10.0.0.216[500]"));
        Assert.That(RemoteSelector.Select(config.Remotes, new RemoteQuery { Peer = IPAddress.Parse("10.0.0.216"), PeerIdentityMatches = IsB })!.IsAnonymous, Is.True);
    }

    [Test]
    public void TwoSectionsForOneAddressAreAmbiguous()
    {
        var result = KernelIpsec.Keyd.Config.RacoonConfLoader.ReadText($"remote 10.0.0.1 {{ exchange_mode main; {Proposal} }}\nremote \"x\" {{ remote_address 10.0.0.1; exchange_mode main; {Proposal} }}\n", "a.conf");
        Assert.That(result.Warnings.Single().ToString(), Does.StartWith("a.conf:2:1: warning: remote \"x\": the remote section \"10.0.0.1[500]\" (line 1) has the same address"));

        var selected = RemoteSelector.Select(result.Config!.Remotes, new RemoteQuery { Peer = IPAddress.Parse("10.0.0.1") }, out var ambiguous);
        Assert.That(selected, Is.Null);
        Assert.That(ambiguous, Is.True);
    }

    [Test]
    public void SainfoMostSpecificFirstWithAnonymousFallback()
    {
        var config = Config();
        Phase2Encryption Pick(SainfoId? local, SainfoId? remote, Func<IdentifierConfig, bool>? peer = null) =>
            SainfoSelector.Select(config.Sainfos, new SainfoQuery { Local = local, Remote = remote, PeerIdentityMatches = peer ?? (_ => false) })!.EncryptionAlgorithms[0].Algorithm;

        Assert.That(Pick(SainfoId.ForAddress(IPAddress.Parse("10.1.0.5")), SainfoId.ForAddress(IPAddress.Parse("10.2.0.5"))), Is.EqualTo(Phase2Encryption.Aes));
        Assert.That(Pick(SainfoId.ForSubnet(IPAddress.Parse("10.1.0.5"), 32), SainfoId.ForAddress(IPAddress.Parse("10.2.0.5"))), Is.EqualTo(Phase2Encryption.Aes), "a /32 subnet id equals an address id");
        Assert.That(Pick(SainfoId.ForSubnet(IPAddress.Parse("10.1.0.0"), 24), SainfoId.ForSubnet(IPAddress.Parse("10.9.0.0"), 16)), Is.EqualTo(Phase2Encryption.TripleDes));
        Assert.That(Pick(SainfoId.ForSubnet(IPAddress.Parse("10.1.0.0"), 24, protocol: 6), null), Is.EqualTo(Phase2Encryption.Camellia).Or.EqualTo(Phase2Encryption.Aes), "protocol differs: only anonymous sections remain");
        Assert.That(Pick(SainfoId.ForSubnet(IPAddress.Parse("10.3.0.0"), 24), null, id => id.Value == "vip.example"), Is.EqualTo(Phase2Encryption.Camellia), "`from` outranks plain anonymous");
        Assert.That(Pick(SainfoId.ForSubnet(IPAddress.Parse("10.3.0.0"), 24), null, id => false), Is.EqualTo(Phase2Encryption.Aes));
    }
}
