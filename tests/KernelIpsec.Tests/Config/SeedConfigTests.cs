using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Tests.Config;

/// <summary>The configurations the project's seeds describe, written the way racoon users write them.</summary>
[TestFixture, Category(Tier.Unit)]
public sealed class SeedConfigTests
{
    internal const string AnonymousRsaSig = """
        # racoon.conf: road warriors authenticate with certificates from our CA
        path include "/etc/racoon";
        path certificate "/etc/racoon/certs";
        log notify;

        listen {
            isakmp 192.168.10.1 [500];
            isakmp_natt 192.168.10.1 [4500];
            adminsock "/var/racoon/racoon.sock" "root" "operator" 0660;
        }

        timer {
            natt_keepalive 15 sec;
        }

        remote anonymous {
            exchange_mode main;
            certificate_type x509 "gateway.crt" "gateway.key";
            ca_type x509 "cacert.pem";
            my_identifier asn1dn;
            peers_identifier asn1dn;
            verify_cert on;
            send_cert on;
            send_cr on;
            generate_policy on;
            passive on;
            nat_traversal on;
            dpd_delay 20;
            lifetime time 24 hour;
            proposal {
                encryption_algorithm aes 256;
                hash_algorithm sha1;
                authentication_method rsasig;
                dh_group modp2048;
            }
            proposal {
                encryption_algorithm 3des;
                hash_algorithm sha1;
                authentication_method rsasig;
                dh_group 2;
            }
        }

        sainfo anonymous {
            pfs_group modp2048;
            lifetime time 1 hour;
            encryption_algorithm aes 256, aes 128, 3des;
            authentication_algorithm hmac_sha1, hmac_sha256;
            compression_algorithm deflate;
        }
        """;

    internal const string AnonymousPsk = """
        path pre_shared_key "/etc/racoon/psk.txt";

        remote anonymous
        {
                exchange_mode aggressive,main;
                my_identifier address;
                lifetime time 8 hours;
                proposal_check obey;
                generate_policy on;

                proposal {
                        encryption_algorithm 3des;
                        hash_algorithm md5;
                        authentication_method pre_shared_key;
                        dh_group modp1024;
                }
        }

        sainfo anonymous
        {
                pfs_group modp1024;
                lifetime time 30 min;
                encryption_algorithm 3des, blowfish 448, rijndael;
                authentication_algorithm hmac_sha1, hmac_md5;
                compression_algorithm deflate;
        }
        """;

    internal const string PerHostRsaSig = """
        path certificate "/etc/racoon/certs";

        remote 10.0.0.216 {
            exchange_mode main;
            my_identifier asn1dn;
            peers_identifier asn1dn "C=DE, O=Example, CN=host216.example.org";
            verify_identifier on;
            certificate_type x509 "host215.pem" "host215.key";
            ca_type x509 "ca.pem";
            proposal {
                encryption_algorithm aes;
                hash_algorithm sha256;
                authentication_method rsasig;
                dh_group modp2048;
            }
        }

        sainfo address 10.0.0.215 any address 10.0.0.216 any {
            pfs_group modp2048;
            encryption_algorithm aes;
            authentication_algorithm hmac_sha256;
            compression_algorithm deflate;
        }
        """;

    [Test]
    public void AnonymousRemoteWithCertificatesParses()
    {
        var config = ConfigTestFiles.ParseOk(AnonymousRsaSig);

        Assert.That(config.Paths.Certificate, Is.EqualTo("/etc/racoon/certs"));
        Assert.That(config.LogLevel, Is.EqualTo(RacoonLogLevel.Notify));
        Assert.That(config.Listen.Addresses, Is.EqualTo(new[]
        {
            new ListenAddress(IPAddress.Parse("192.168.10.1"), 500, false),
            new ListenAddress(IPAddress.Parse("192.168.10.1"), 4500, true),
        }));
        Assert.That(config.Listen.AdminSocket.Mode, Is.EqualTo(Convert.ToInt32("660", 8)));
        Assert.That(config.Listen.AdminSocket.Group, Is.EqualTo("operator"));
        Assert.That(config.Timers.NattKeepalive, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(config.Timers.Phase1, Is.EqualTo(TimeSpan.FromSeconds(30)), "racoon's code default, not the man page's 15 s");

        var remote = config.Remotes.Single();
        Assert.That(remote.IsAnonymous, Is.True);
        Assert.That(remote.Name, Is.EqualTo("anonymous"));
        Assert.That(remote.CertificateType!.Kind, Is.EqualTo(CertificateKind.X509));
        Assert.That(remote.CertificateType.Certificate!.Path, Is.EqualTo("gateway.crt"));
        Assert.That(remote.CertificateType.Certificate.Location, Is.EqualTo(new SourceLocation("racoon.conf", 18, 27)));
        Assert.That(remote.CertificateType.PrivateKey.Path, Is.EqualTo("gateway.key"));
        Assert.That(remote.CertificateType.PrivateKey.Location, Is.EqualTo(new SourceLocation("racoon.conf", 18, 41)));
        Assert.That(remote.CaCertificate!.Resolve(config.Paths.Certificate), Is.EqualTo("/etc/racoon/certs/cacert.pem"));
        Assert.That(remote.MyIdentifier, Is.EqualTo(new IdentifierConfig(IdentifierType.Asn1Dn, null)));
        Assert.That(remote.PeersIdentifiers, Is.EqualTo(new[] { new IdentifierConfig(IdentifierType.Asn1Dn, null) }));
        Assert.That(remote.GeneratePolicy, Is.EqualTo(GeneratePolicyMode.On));
        Assert.That(remote.Passive, Is.True);
        Assert.That(remote.NatTraversal, Is.EqualTo(Tristate.On));
        Assert.That(remote.DpdDelay, Is.EqualTo(TimeSpan.FromSeconds(20)));
        Assert.That(remote.Lifetime, Is.EqualTo(TimeSpan.FromHours(24)));
        Assert.That(remote.Proposals.Select(p => (p.Encryption, p.Hash, p.AuthenticationMethod, p.DhGroup)), Is.EqualTo(new[]
        {
            (new CipherChoice<EncryptionAlgorithm>(EncryptionAlgorithm.AesCbc, 256), HashAlgorithm.Sha1, AuthenticationMethod.RsaSignature, DhGroupId.Modp2048),
            (new CipherChoice<EncryptionAlgorithm>(EncryptionAlgorithm.TripleDesCbc, null), HashAlgorithm.Sha1, AuthenticationMethod.RsaSignature, DhGroupId.Modp1024),
        }));
        Assert.That(remote.Proposals[0].EffectiveLifetime(remote), Is.EqualTo(TimeSpan.FromHours(24)));

        var sainfo = config.Sainfos.Single();
        Assert.That(sainfo.IsAnonymous, Is.True);
        Assert.That(sainfo.PfsGroup, Is.EqualTo(DhGroupId.Modp2048));
        Assert.That(sainfo.EncryptionAlgorithms, Is.EqualTo(new[]
        {
            new CipherChoice<Phase2Encryption>(Phase2Encryption.Aes, 256),
            new CipherChoice<Phase2Encryption>(Phase2Encryption.Aes, 128),
            new CipherChoice<Phase2Encryption>(Phase2Encryption.TripleDes, null),
        }));
        Assert.That(sainfo.AuthenticationAlgorithms, Is.EqualTo(new[] { Phase2Authentication.HmacSha1, Phase2Authentication.HmacSha256 }));
    }

    [Test]
    public void AnonymousPskRemoteAndSainfoParse()
    {
        var config = ConfigTestFiles.ParseOk(AnonymousPsk);

        Assert.That(config.Paths.PreSharedKey, Is.EqualTo("/etc/racoon/psk.txt"));
        var remote = config.Remotes.Single();
        Assert.That(remote.ExchangeModes, Is.EqualTo(new[] { ExchangeMode.Aggressive, ExchangeMode.Main }));
        Assert.That(remote.InitiatorMode, Is.EqualTo(ExchangeMode.Aggressive));
        Assert.That(remote.MyIdentifier, Is.EqualTo(IdentifierConfig.OwnAddress));
        Assert.That(remote.ProposalCheck, Is.EqualTo(ProposalCheckLevel.Obey));
        Assert.That(remote.Lifetime, Is.EqualTo(TimeSpan.FromHours(8)));
        Assert.That(remote.Proposals.Single().AuthenticationMethod, Is.EqualTo(AuthenticationMethod.PreSharedKey));
        Assert.That(remote.Proposals.Single().Hash, Is.EqualTo(HashAlgorithm.Md5));

        var sainfo = config.Sainfos.Single();
        Assert.That(sainfo.Lifetime, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(sainfo.EncryptionAlgorithms, Is.EqualTo(new[]
        {
            new CipherChoice<Phase2Encryption>(Phase2Encryption.TripleDes, null),
            new CipherChoice<Phase2Encryption>(Phase2Encryption.Blowfish, 448),
            new CipherChoice<Phase2Encryption>(Phase2Encryption.Aes, null),
        }));
    }

    [Test]
    public void PerHostRsaSigRemoteParsesWithRacoonDefaults()
    {
        var config = ConfigTestFiles.ParseOk(PerHostRsaSig);

        var remote = config.Remotes.Single();
        Assert.That(remote.Address, Is.EqualTo(IPAddress.Parse("10.0.0.216")));
        Assert.That(remote.Port, Is.EqualTo(500));
        Assert.That(remote.Name, Is.EqualTo("10.0.0.216[500]"));
        Assert.That(remote.PeersIdentifiers.Single(), Is.EqualTo(new IdentifierConfig(IdentifierType.Asn1Dn, "C=DE, O=Example, CN=host216.example.org")));
        Assert.That(remote.VerifyIdentifier, Is.True);
        Assert.Multiple(() =>
        {
            // newrmconf() defaults
            Assert.That(remote.Lifetime, Is.EqualTo(TimeSpan.FromSeconds(28800)));
            Assert.That(remote.NonceSize, Is.EqualTo(16));
            Assert.That(remote.InitialContact, Is.True);
            Assert.That(remote.ProposalCheck, Is.EqualTo(ProposalCheckLevel.Strict));
            Assert.That(remote.MatchEmptyCertificateRequest, Is.False);
            Assert.That(remote.SendCertificate && remote.SendCertificateRequest && remote.VerifyCertificate, Is.True);
            Assert.That(remote.Dpd, Is.True);
            Assert.That(remote.DpdRetry, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(remote.DpdMaxFail, Is.EqualTo(5));
            Assert.That(remote.Rekey, Is.EqualTo(Tristate.On));
            Assert.That(remote.EspFragment, Is.EqualTo(65535));
            Assert.That(config.ComplexBundle, Is.True);
            Assert.That(config.Padding, Is.EqualTo(new PaddingConfig { Randomize = true, MaximumLength = 20, ExclusiveTail = true }));
        });

        var sainfo = config.Sainfos.Single();
        Assert.That(sainfo.LocalId, Is.EqualTo(SainfoId.ForAddress(IPAddress.Parse("10.0.0.215"))));
        Assert.That(sainfo.RemoteId, Is.EqualTo(SainfoId.ForAddress(IPAddress.Parse("10.0.0.216"))));
        Assert.That(sainfo.Lifetime, Is.EqualTo(TimeSpan.FromSeconds(28800)));
    }

    [Test]
    public void EveryInteropConfigurationParses()
    {
        using var files = new ConfigTestFiles();
        var pki = KernelIpsec.Tests.Interop.TestPki.Create(Path.Combine(files.Directory, "pki"));
        foreach (var variant in KernelIpsec.Tests.Interop.InteropVariant.All)
        {
            var path = KernelIpsec.Tests.Interop.RacoonSideConfig.Write(Path.Combine(files.Directory, variant.Name), variant, isLeft: true, pki).RacoonConf;
            var result = KernelIpsec.Keyd.Config.RacoonConfLoader.Read(path);
            Assert.That(result.Errors, Is.Empty, () => path + "\n" + string.Join("\n", result.Diagnostics));
            var remote = result.Config!.Remotes.Single();
            Assert.That(remote.Address, Is.EqualTo(IPAddress.Parse("10.77.0.2")));
            Assert.That(remote.VerifyIdentifier, Is.True);
            Assert.That(result.Config.Listen.Addresses.Single(), Is.EqualTo(new ListenAddress(IPAddress.Parse("10.77.0.1"), 500, false)));
            Assert.That(result.Config.Timers.Phase2, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(result.Config.Sainfos.Single().Lifetime, Is.EqualTo(TimeSpan.FromHours(1)));
        }
    }
}
