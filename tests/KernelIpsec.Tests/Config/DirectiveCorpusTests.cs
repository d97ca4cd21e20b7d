using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

/// <summary>One configuration using every directive racoon.conf knows, in the forms people write.</summary>
[TestFixture, Category(Tier.Unit)]
public sealed class DirectiveCorpusTests
{
    internal const string Everything = """
        privsep { user "racoon"; group 1000; chroot "/var/empty"; }
        path include "/etc/racoon"; path pre_shared_key "/etc/racoon/psk.txt"; path certificate "/etc/racoon/certs";
        path script "/etc/racoon/scripts"; path backupsa "/var/lib/racoon/backupsa"; path pidfile "racoon2.pid";
        pfkey_buffer 4096; gss_id_enc latin1; complex_bundle off; log debug2;
        padding { randomize off; randomize_length on; maximum_length 40; exclusive_tail off; strict_check on; }
        listen { isakmp ::1 [7000]; isakmp_natt 10.0.0.1 [4500]; adminsock "/run/racoon.sock" "root" "adm" 0660; strict_address; }
        timer { counter 7; interval 2 min; persend 2; phase1 1 minute; phase2 45 seconds; natt_keepalive 0 sec; }
        mode_cfg {
          network4 10.10.0.1; netmask4 255.255.255.0; pool_size 100; dns4 10.0.0.53, 10.0.0.54; wins4 10.0.0.55; nbns4 10.0.0.56;
          split_network include 10.0.0.0/8, 192.168.0.0/16; split_network local_lan 172.16.0.0/12; split_dns "corp.example", "lab.example";
          default_domain "corp.example"; auth_source pam; auth_groups "vpn", "admins"; group_source system; conf_source local;
          accounting radius; banner "/etc/motd.vpn"; auth_throttle 3; pfs_group 2; save_passwd on;
        }
        ldapcfg { version 3; host "ldap.example"; port 389; base "dc=example"; subtree on; bind_dn "cn=r"; bind_pw "pw";
                  attr_user "uid"; attr_addr "ip"; attr_mask "mask"; attr_group "cn"; attr_member "member"; uri "ldap://x"; debug 0; timeout 5; }
        radiuscfg { auth "radius.example" 1812 "s3cret"; acct "radius.example" "s3cret"; timeout 3; retries 2; }

        remote "base" {
          remote_address fe80::1%eth0 [4500];
          exchange_mode main aggressive base;
          doi ipsec_doi; situation identity_only;
          my_identifier keyid tag "gw-1";
          peers_identifier user_fqdn "peer@example.org";
          peers_identifier keyid file "/etc/racoon/peer.keyid";
          peers_identifier address 10.0.0.9;
          verify_identifier on; xauth_login "alice";
          certificate_type plain_rsa "gw.key"; peers_certfile plain_rsa "peer.pub";
          send_cert on; send_cr on; verify_cert on; match_empty_cr on;
          nonce_size 32; passive off; ike_frag force; esp_frag 1400;
          script "up.sh" phase1_up; script "down.sh" phase1_down; script "dead.sh" phase1_dead;
          mode_cfg on; weak_phase1_check on; generate_policy unique; support_proxy on; initial_contact off;
          nat_traversal force; dpd off; dpd_delay 30; dpd_retry 3; dpd_maxfail 4; rekey force; ph1id 7;
          lifetime time 3 hours; proposal_check claim;
          proposal { encryption_algorithm camellia 192; hash_algorithm sha512; authentication_method rsasig; dh_group modp4096; lifetime time 1 hour; }
          proposal { encryption_algorithm blowfish 448; hash_algorithm sha2_384; authentication_method rsasig; dh_group 16; }
          proposal { encryption_algorithm cast128 128; hash_algorithm sha256; authentication_method rsasig; dh_group modp4096; }
        }
        remote "child" inherit "base" { proposal_check exact; }
        remote anonymous [4500] { exchange_mode main; my_identifier user_fqdn "gw@example.org"; ca_type x509 "ca.pem"; certificate_type x509 "gw.crt" "gw.key";
          peers_certfile dnssec; generate_policy require;
          proposal { encryption_algorithm rijndael; hash_algorithm md5; authentication_method xauth_rsa_server; dh_group 5; } }

        sainfo address 10.0.0.0/24 [any] tcp subnet fd00::/64 [443] 6 from address 10.0.0.9 {
          pfs_group 18; lifetime time 90 min; remoteid 7;
          encryption_algorithm null_enc, twofish 256, des, 3des, cast128, camellia 256;
          authentication_algorithm non_auth, hmac_sha512, hmac_sha2_384;
          compression_algorithm deflate;
        }
        sainfo address 10.1.0.1-10.1.0.9 any anonymous group "vpn" { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        sainfo fqdn "a.example" clientaddr { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        sainfo anonymous address 10.2.0.1 icmp { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        sainfo anonymous clientaddr { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
        include "/etc/racoon/nonexistent-*.conf.d-never";
        """;

    [Test]
    public void EveryDirectiveParses()
    {
        var result = KernelIpsec.Keyd.Config.RacoonConfLoader.ReadText(Everything, "all.conf");

        // The only error is the include with no match; everything before it is understood.
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "all.conf:53:1: error: glob found no matches for path \"/etc/racoon/nonexistent-*.conf.d-never\"" }));
        Assert.That(result.Warnings.Select(w => w.Message), Is.EqualTo(new[]
        {
            "ldapcfg is read but not supported by KernelIpsec (no LDAP/RADIUS back end); the section is ignored",
            "radiuscfg is read but not supported by KernelIpsec (no LDAP/RADIUS back end); the section is ignored",
            "remote \"child\": the remote section \"base\" (line 18) has the same address; racoon finds the two ambiguous and selects neither for this peer",
        }));
    }

    [Test]
    public void EveryDirectiveLandsInTheModel()
    {
        var config = ConfigTestFiles.ParseOk(Everything.Replace("include \"/etc/racoon/nonexistent-*.conf.d-never\";", ""));

        Assert.That(config.Privsep, Is.EqualTo(new PrivsepConfig("racoon", "1000", "/var/empty")));
        Assert.That(config.Paths.PidFile, Is.EqualTo("/var/run/racoon2.pid"));
        Assert.That((config.PfKeyBufferKiB, config.GssIdEncoding, config.ComplexBundle, config.LogLevel), Is.EqualTo((4096, "latin1", false, RacoonLogLevel.Debug2)));
        Assert.That(config.Padding, Is.EqualTo(new PaddingConfig { Randomize = false, RandomizeLength = true, MaximumLength = 40, ExclusiveTail = false, StrictCheck = true }));
        Assert.That(config.Listen.Addresses[0], Is.EqualTo(new ListenAddress(IPAddress.IPv6Loopback, 7000, false)));
        Assert.That(config.Listen.StrictAddress, Is.True);
        Assert.That(config.Timers, Is.EqualTo(new TimerConfig { Counter = 7, Interval = TimeSpan.FromMinutes(2), PerSend = 2, Phase1 = TimeSpan.FromMinutes(1), Phase2 = TimeSpan.FromSeconds(45), NattKeepalive = TimeSpan.Zero }));
        var mc = config.ModeConfig!;
        Assert.That(mc.Dns4, Has.Count.EqualTo(2));
        Assert.That(mc.Wins4, Has.Count.EqualTo(2));
        Assert.That(mc.SplitNetworks, Has.Count.EqualTo(3));
        Assert.That(mc.SplitNetworks[2], Is.EqualTo(new SplitNetwork(true, IPAddress.Parse("172.16.0.0"), 12)));
        Assert.That((mc.AuthSource, mc.Accounting, mc.PfsGroup, mc.SavePassword, mc.PoolSize), Is.EqualTo(("pam", "radius", (DhGroupId?)DhGroupId.Modp1024, true, 100)));

        var b = config.FindRemoteByName("base")!;
        Assert.That(b.Address, Is.EqualTo(IPAddress.Parse("fe80::1%eth0")));
        Assert.That(b.Port, Is.EqualTo(4500));
        Assert.That(b.ExchangeModes, Is.EqualTo(new[] { ExchangeMode.Main, ExchangeMode.Aggressive, ExchangeMode.Base }));
        Assert.That(b.MyIdentifier, Is.EqualTo(new IdentifierConfig(IdentifierType.KeyIdTag, "gw-1")));
        Assert.That(b.PeersIdentifiers, Has.Count.EqualTo(3));
        Assert.That(b.CertificateType!.Kind, Is.EqualTo(CertificateKind.PlainRsa));
        Assert.That(b.SendCertificate, Is.True, "send_cert on after plain_rsa turns it back on, as written");
        Assert.That(b.Scripts.Select(s => s.Event), Is.EqualTo(new[] { ScriptEvent.Phase1Up, ScriptEvent.Phase1Down, ScriptEvent.Phase1Dead }));
        Assert.That((b.IkeFragmentation, b.NatTraversal, b.Rekey, b.GeneratePolicy), Is.EqualTo((Tristate.Force, Tristate.Force, Tristate.Force, GeneratePolicyMode.Unique)));
        Assert.That((b.Dpd, b.DpdDelay, b.DpdRetry, b.DpdMaxFail, b.Ph1Id, b.NonceSize, b.EspFragment), Is.EqualTo((false, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3), 4, 7u, 32, 1400)));
        Assert.That(b.Proposals[0].Lifetime, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(b.Proposals[1].EffectiveLifetime(b), Is.EqualTo(TimeSpan.FromHours(3)));
        Assert.That(b.Proposals[1].Encryption, Is.EqualTo(new CipherChoice<EncryptionAlgorithm>(EncryptionAlgorithm.BlowfishCbc, 448)));

        var child = config.FindRemoteByName("child")!;
        Assert.That((child.Inherits, child.Address, child.ProposalCheck, child.Proposals.Count, child.PeersIdentifiers.Count), Is.EqualTo(("base", b.Address, ProposalCheckLevel.Exact, 3, 3)));

        var anon = config.Remotes.Single(r => r.IsAnonymous);
        Assert.That((anon.Name, anon.Port, anon.PeersCertFile!.Kind, anon.GeneratePolicy), Is.EqualTo(("anonymous", 4500, CertificateKind.Dnssec, GeneratePolicyMode.Require)));

        var s0 = config.Sainfos[0];
        Assert.That(s0.LocalId, Is.EqualTo(SainfoId.ForSubnet(IPAddress.Parse("10.0.0.0"), 24, protocol: 6)));
        Assert.That(s0.RemoteId, Is.EqualTo(SainfoId.ForSubnet(IPAddress.Parse("fd00::"), 64, protocol: 6, port: 443)));
        Assert.That(s0.From, Is.EqualTo(new IdentifierConfig(IdentifierType.Address, "10.0.0.9")));
        Assert.That((s0.PfsGroup, s0.Lifetime, s0.RemoteIdNumber), Is.EqualTo(((DhGroupId?)DhGroupId.Modp8192, TimeSpan.FromMinutes(90), 7u)));
        Assert.That(s0.EncryptionAlgorithms.Select(e => e.Algorithm), Is.EqualTo(new[] { Phase2Encryption.Null, Phase2Encryption.Twofish, Phase2Encryption.Des, Phase2Encryption.TripleDes, Phase2Encryption.Cast128, Phase2Encryption.Camellia }));
        Assert.That(s0.AuthenticationAlgorithms, Is.EqualTo(new[] { Phase2Authentication.None, Phase2Authentication.HmacSha512, Phase2Authentication.HmacSha384 }));
        Assert.That(config.Sainfos[1].LocalId!.Kind, Is.EqualTo(SainfoIdKind.Range));
        Assert.That(config.Sainfos[1].Group, Is.EqualTo("vpn"));
        Assert.That(config.Sainfos[2].RemoteIsClientAddress, Is.True);
        Assert.That(config.Sainfos[3].RemoteId, Is.EqualTo(SainfoId.ForAddress(IPAddress.Parse("10.2.0.1"), protocol: 1)));
        Assert.That(config.Sainfos[4].LocalId, Is.Null);
    }
}
