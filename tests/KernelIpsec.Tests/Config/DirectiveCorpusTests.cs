using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Keyd.Config;
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
        pfkey_buffer 4096; gss_id_enc latin1; complex_bundle off; log debug2; kernel xfrm;
        padding { randomize off; randomize_length on; maximum_length 40; exclusive_tail off; strict_check on; }
        listen { isakmp ::1 [7000]; isakmp_natt 10.0.0.1 [4500]; adminsock "/run/racoon.sock" "root" "adm" 0660; strict_address; }
        timer { counter 7; interval 2 min; persend 2; phase1 1 minute; phase2 45 seconds; natt_keepalive 0 sec; }
        mode_cfg {
          network4 10.10.0.1; netmask4 255.255.255.0; pool_size 100; dns4 10.0.0.53, 10.0.0.54; wins4 10.0.0.55; nbns4 10.0.0.56;
          split_network include 10.0.0.0/8, 192.168.0.0/16; split_network local_lan 172.16.0.0/12; split_dns "corp.example", "lab.example";
          default_domain "corp.example"; auth_source pam; auth_groups "vpn", "admins"; group_source system; conf_source local;
          accounting system; banner "/etc/motd.vpn"; auth_throttle 3; pfs_group 2; save_passwd on;
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
          proposal { encryption_algorithm camellia 192; hash_algorithm sha512; authentication_method rsasig; dh_group modp4096; lifetime time 1 hour; gss_id "host"; gssapi_id "host"; }
          proposal { encryption_algorithm blowfish 448; hash_algorithm sha2_384; authentication_method rsasig; dh_group 16; }
          proposal { encryption_algorithm cast128 128; hash_algorithm sha256; authentication_method rsasig; dh_group modp4096; }
        }
        remote "child" inherit "base" { proposal_check exact; }
        remote anonymous [4500] { exchange_mode main; my_identifier user_fqdn "gw@example.org"; ca_type x509 "ca.pem"; certificate_type x509 "gw.crt" "gw.key";
          peers_certfile x509 "peer.crt"; generate_policy require;
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
    public void EveryDirectiveParsesAndWhatIsNotSupportedIsSaidWhereItIsWritten()
    {
        var result = KernelIpsec.Keyd.Config.RacoonConfLoader.ReadText(Everything, "all.conf");

        // The only error is the include with no match; everything before it is understood.
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "all.conf:53:1: error: glob found no matches for path \"/etc/racoon/nonexistent-*.conf.d-never\"" }));
        Assert.That(result.Warnings.Select(w => w.ToString()), Is.EqualTo(ExpectedWarnings), string.Join("\n", result.Warnings));
    }

    private static readonly string[] ExpectedWarnings =
    [
        "all.conf:1:1: warning: privsep is not supported by this racoon: the daemon keeps running as the user that started it, without chroot",
        "all.conf:4:1: warning: pfkey_buffer is not supported by this racoon: the kernel socket keeps the system's default buffer size",
        "all.conf:4:20: warning: gss_id_enc is not supported by this racoon: GSS-API authentication is not built, the setting has no effect",
        "all.conf:4:39: warning: complex_bundle is not supported by this racoon: a bundle is proposed with one encapsulation mode for all its protocols, as the SPD lists them",
        "all.conf:5:26: warning: randomize_length on is not supported by this racoon: padding is the minimum to the cipher's block",
        "all.conf:5:86: warning: strict_check on is not supported by this racoon: received padding is not checked",
        "all.conf:6:106: warning: strict_address is not supported by this racoon: an address that cannot be bound is logged and the daemon starts on the others",
        "all.conf:14:1: warning: ldapcfg is not supported by this racoon: the section is read and ignored (no LDAP back end; auth_source, group_source and conf_source ldap are refused)",
        "all.conf:16:1: warning: radiuscfg is not supported by this racoon: the section is read and ignored (no RADIUS back end; auth_source, conf_source and accounting radius are refused)",
        "all.conf:20:3: warning: exchange_mode base is not supported by this racoon: base mode is neither initiated (main mode is used instead) nor answered",
        "all.conf:27:3: warning: certificate_type plain_rsa is not supported by this racoon: no plain RSA key is loaded, so an rsasig phase 1 with this remote fails",
        "all.conf:27:40: warning: peers_certfile plain_rsa is not supported by this racoon: the file is read as an X.509 certificate, so the peer's signature is not verified against a plain RSA key",
        "all.conf:28:45: warning: match_empty_cr on is not supported by this racoon: an empty certificate request does not take part in choosing the remote section",
        "all.conf:29:31: warning: ike_frag force is not supported by this racoon: no IKE fragmentation: a message larger than the path's MTU is sent whole (IP fragments)",
        "all.conf:29:47: warning: esp_frag is not supported by this racoon: the kernel's SA gets no NAT-T fragment size",
        "all.conf:31:16: warning: weak_phase1_check on is not supported by this racoon: an unencrypted notification during phase 1 is ignored, as with off",
        "all.conf:32:75: warning: rekey force is not supported by this racoon: an expiring phase 1 is not renegotiated ahead; a new one is negotiated when the kernel next asks for keys",
        "all.conf:34:143: warning: gss_id is not supported by this racoon: GSS-API authentication is not built, the setting has no effect",
        "all.conf:34:158: warning: gssapi_id is not supported by this racoon: GSS-API authentication is not built, the setting has no effect",
        "all.conf:38:1: warning: remote \"child\": the remote section \"base\" (line 18) has the same address; racoon finds the two ambiguous and selects neither for this peer",
        "all.conf:49:48: warning: group is not supported by this racoon: the section applies whatever the XAuth user's group",
    ];

    /// <summary>Each directive of the corpus is in the table and gets exactly what its row says: nothing, or its warning.</summary>
    [Test]
    public void EveryDirectiveOfTheCorpusGetsWhatTheTableSays()
    {
        var result = RacoonConfLoader.ReadText(Everything, "all.conf");
        var unsupported = result.Diagnostics.Where(d => d.Message.Contains(" is not supported by this racoon: ", StringComparison.Ordinal)).ToList();

        Assert.That(result.Directives, Has.Count.GreaterThan(150));
        Assert.Multiple(() =>
        {
            foreach (var use in result.Directives.Where(u => !DirectiveSupport.IgnoredSections.Contains(u.Section)))
            {
                var rule = DirectiveSupport.RuleFor(use.Section, use.Directive, use.Words);
                Assert.That(rule, Is.Not.Null, $"{use.Location}: {use.Section} {use.Directive} {use.Value} has no row in the table");
                if (rule is null)
                    continue;
                var said = unsupported.Where(d => d.Location == use.Location).Select(d => d.ToString()).ToList();
                if (rule.State == DirectiveState.Works)
                    Assert.That(said, Is.Empty, $"{rule.Written} works: nothing to say");
                else
                    Assert.That(said, Is.EqualTo(new[] { $"{use.Location}: {(rule.State == DirectiveState.Warns ? "warning" : "error")}: {DirectiveSupport.Message(rule, use)}" }));
            }
        });
        Assert.That(unsupported.Select(d => d.Location), Is.SubsetOf(result.Directives.Select(u => u.Location)), "every such line names a directive");
    }

    /// <summary>The corpus writes every directive of the table (values aside), so the test above covers them all.</summary>
    [Test]
    public void TheCorpusWritesEveryDirectiveOfTheTable()
    {
        var written = RacoonConfLoader.ReadText(Everything, "all.conf").Directives.Select(u => (u.Section, u.Directive)).ToHashSet();
        var missing = DirectiveSupport.Table.Select(r => (r.Section, r.Directive)).Distinct().Where(d => !written.Contains(d)).ToList();
        Assert.That(missing, Is.Empty);
    }

    [TestCase("mode_cfg {\n  auth_source radius;\n}\n", "2:3: error: auth_source radius is not supported by this racoon: use system or pam")]
    [TestCase("mode_cfg {\n  auth_source ldap;\n}\n", "2:3: error: auth_source ldap is not supported by this racoon: use system or pam")]
    [TestCase("mode_cfg {\n  group_source ldap;\n}\n", "2:3: error: group_source ldap is not supported by this racoon: use system")]
    [TestCase("mode_cfg {\n  conf_source radius;\n}\n", "2:3: error: conf_source radius is not supported by this racoon: use local")]
    [TestCase("mode_cfg {\n  conf_source ldap;\n}\n", "2:3: error: conf_source ldap is not supported by this racoon: use local")]
    [TestCase("mode_cfg {\n  accounting radius;\n}\n", "2:3: error: accounting radius is not supported by this racoon: use system, pam or none")]
    [TestCase("remote anonymous {\n exchange_mode main;\n peers_certfile dnssec;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; }\n}\n",
        "3:2: error: peers_certfile dnssec is not supported by this racoon: no certificate is fetched from DNS; use peers_certfile x509 or ca_type")]
    public void RefusedValuesAreErrorsWhereTheyAreWritten(string text, string expected)
    {
        var result = RacoonConfLoader.ReadText(text, "r.conf");
        Assert.That(result.Config, Is.Null);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "r.conf:" + expected }));
    }

    [TestCase("mode_cfg { conf_source local; accounting system; auth_source system; }\n")]
    [TestCase("mode_cfg { accounting pam; auth_source pam; }\n")]
    [TestCase("mode_cfg { accounting none; }\n")]
    public void WorkingSourcesAndAccountingSayNothing(string text)
    {
        var result = RacoonConfLoader.ReadText(text, "ok.conf");
        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.Config!.ModeConfig!.ConfSource, Is.EqualTo("local"));
    }

    [Test]
    public void AccountingPamWithoutAuthSourcePamIsWarnedAbout()
    {
        var result = RacoonConfLoader.ReadText("mode_cfg {\n  auth_source system;\n  accounting pam;\n}\n", "p.conf");
        Assert.That(result.Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "p.conf:3:3: warning: accounting pam without auth_source pam opens no PAM session: each login's accounting fails (\"pam handle is NULL\"), as in racoon; use auth_source pam",
        }));
        Assert.That(result.Config, Is.Not.Null, "racoon starts with it");
    }

    [Test]
    public void HashedCaCertificatesAndCrlsInPathCertificateAreWarnedAbout()
    {
        var dir = Directory.CreateTempSubdirectory("keyd-certdir").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "gw.crt"), "");
            var quiet = RacoonConfLoader.ReadText($"path certificate \"{dir}\";\n", "c.conf");
            Assert.That(quiet.Diagnostics, Is.Empty, "certificates by their own names are what this racoon reads");

            File.WriteAllText(Path.Combine(dir, "1a2b3c4d.0"), "");
            File.WriteAllText(Path.Combine(dir, "1a2b3c4d.r0"), "");
            var result = RacoonConfLoader.ReadText($"log info;\npath certificate \"{dir}\";\n", "c.conf");
            Assert.That(result.Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
            {
                "c.conf:2:1: warning: path certificate with hashed CA certificates or CRLs (1a2b3c4d.0, 1a2b3c4d.r0) is not supported by this racoon: only the ca_type file is trusted and no CRL is read",
            }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>racoon.conf(5) carries the table as it is in the code, row for row.</summary>
    [Test]
    public void TheManPageTableIsTheTable()
    {
        var man = File.ReadAllText(Path.Combine(KernelIpsec.Tests.Packaging.RepositoryRoot.Find(), "packaging", "man", "racoon.conf.5"));
        var rows = DirectiveSupport.Table.Select(r => $"T{{\n{r.Written}\nT}}@{r.State.ToString().ToLowerInvariant()}@T{{\n{r.Notes}\nT}}");
        var expected = ".TS\ntab(@) box;\nlb lb lb\nlx l lx.\ndirective@state@notes\n_\n" + string.Join("\n", rows) + "\n.TE\n";
        Assert.That(man, Does.Contain(expected));
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
        Assert.That((mc.AuthSource, mc.Accounting, mc.PfsGroup, mc.SavePassword, mc.PoolSize), Is.EqualTo(("pam", "system", (DhGroupId?)DhGroupId.Modp1024, true, 100)));

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
        Assert.That((anon.Name, anon.Port, anon.PeersCertFile!.Kind, anon.GeneratePolicy), Is.EqualTo(("anonymous", 4500, CertificateKind.X509, GeneratePolicyMode.Require)));

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
