using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

[TestFixture, Category(Tier.Unit)]
public sealed class DumpAndCheckTests
{
    [Test]
    public void DumpPrintsRemotesAsRacoonMinusC()
    {
        var config = ConfigTestFiles.ParseOk("""
            remote "peer1" {
                exchange_mode main;
                peers_identifier fqdn "peer.example.com";
                nat_traversal on;
                ike_frag on;
                proposal { encryption_algorithm aes; hash_algorithm sha256; authentication_method pre_shared_key; dh_group modp2048; }
            }
            remote 127.0.0.3 inherit "peer1";
            """);
        var output = new StringWriter { NewLine = "\n" };

        ConfigDumper.Dump(config, output);

        var peer1Body = """
            	exchange_type main;
            	doi ipsec_doi;
            	my_identifier address;
            	peers_identifier fqdn "peer.example.com";
            	rekey on;
            	send_cert on;
            	send_cr on;
            	match_empty_cr off;
            	verify_cert on;
            	verify_identifier off;
            	nat_traversal on;
            	nonce_size 16;
            	passive off;
            	ike_frag on;
            	esp_frag 65535;
            	initial_contact on;
            	generate_policy off;
            	support_proxy off;

            	/* prop_no=1, trns_no=1 */
            	proposal {
            		lifetime time 28800 sec;
            		lifetime bytes 0;
            		dh_group modp2048;
            		encryption_algorithm aes;
            		hash_algorithm sha2_256;
            		authentication_method pre_shared_key;
            	}
            }

            """;
        Assert.That(output.ToString(), Is.EqualTo("remote \"peer1\" {\n" + peer1Body + "\n" + "remote \"127.0.0.3[500]\" inherit \"peer1\" {\n" + peer1Body + "\n"));
    }

    [Test]
    public void CheckPassesTheRigsPskConfigAndWarnsAboutWeakChoices()
    {
        using var files = new ConfigTestFiles();
        var psk = files.Write("psk.txt", "10.77.0.2\tikev1-rig-pre-shared-key-0123\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var conf = files.Write("racoon.conf", $$"""
            path pre_shared_key "{{psk}}";
            remote 10.77.0.2 {
                exchange_mode aggressive, main;
                my_identifier fqdn "left.ikev1.test";
                proposal {
                    encryption_algorithm des;
                    hash_algorithm md5;
                    authentication_method pre_shared_key;
                    dh_group modp768;
                }
            }
            sainfo anonymous {
                encryption_algorithm 3des;
                authentication_algorithm hmac_md5;
                compression_algorithm deflate;
            }
            """);
        var output = new StringWriter { NewLine = "\n" };

        var exit = ConfigCheck.Run(conf, output);

        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Is.EqualTo(string.Join("\n",
            $"{conf}:5:5: warning: encryption_algorithm des is weak (56-bit key): use aes",
            $"{conf}:5:5: warning: hash_algorithm md5 is weak: use sha256 or sha1",
            $"{conf}:5:5: warning: dh_group modp768 is weak: use modp2048",
            $"{conf}:2:1: warning: remote \"10.77.0.2[500]\": aggressive mode with a pre-shared key exposes a hash of the key to offline guessing; prefer main mode or certificates",
            $"{conf}:12:1: warning: sainfo anonymous: hmac_md5 is weak: use hmac_sha256 or hmac_sha1",
            $"{conf}: configuration OK (5 warnings)", "")));
    }

    [Test]
    public void CheckReportsUnreadablePskAndMissingCertificatesWithPositions()
    {
        using var files = new ConfigTestFiles();
        var psk = files.Write("psk.txt", "10.0.0.1 key\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var conf = files.Write("racoon.conf", $$"""
            path pre_shared_key "{{psk}}";
            path certificate "{{files.Directory}}/certs";
            remote 10.0.0.1 {
                exchange_mode main;
                certificate_type x509 "host.crt" "host.key";
                peers_certfile "peer.crt";
                proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 14; }
                proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 14; }
            }
            """);
        var output = new StringWriter { NewLine = "\n" };

        var exit = ConfigCheck.Run(conf, output);

        Assert.That(exit, Is.EqualTo(1));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EqualTo(new[]
        {
            $"{conf}:6:5: warning: peers_certfile without a certificate type is deprecated: write peers_certfile x509 \"peer.crt\";",
            $"{conf}:1:21: error: failed to open pre_share_key file {psk}: {psk} has weak file permission 0604: group and others must have no access; fix: chmod 600 {psk}",
            $"{conf}:5:27: error: cannot read {files.Directory}/certs/host.crt: Could not find a part of the path '{files.Directory}/certs/host.crt'.",
            $"{conf}:5:38: error: cannot read {files.Directory}/certs/host.key: Could not find a part of the path '{files.Directory}/certs/host.key'.",
            $"{conf}:6:20: error: cannot read {files.Directory}/certs/peer.crt: Could not find a part of the path '{files.Directory}/certs/peer.crt'.",
            $"{conf}: 4 errors, 1 warning",
        }));
    }

    [Test]
    public void CheckLoadsCertificatesAndNoticesAKeyThatDoesNotMatch()
    {
        using var files = new ConfigTestFiles();
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Check CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var hostKey = RSA.Create(2048);
        using var host = new CertificateRequest("C=XX, CN=host", hostKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1]);
        files.Write("certs/ca.crt", ca.ExportCertificatePem());
        files.Write("certs/host.crt", host.ExportCertificatePem());
        files.Write("certs/host.key", hostKey.ExportRSAPrivateKeyPem());
        files.Write("certs/wrong.key", caKey.ExportPkcs8PrivateKeyPem());
        string Conf(string key) => $$"""
            path certificate "{{files.Directory}}/certs";
            remote anonymous {
                exchange_mode main;
                my_identifier asn1dn;
                peers_identifier asn1dn "C=XX, CN=*";
                certificate_type x509 "host.crt" "{{key}}";
                ca_type x509 "ca.crt";
                proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 14; }
            }
            """;

        var good = ConfigCheck.Check(files.Write("good.conf", Conf("host.key")));
        var bad = ConfigCheck.Check(files.Write("bad.conf", Conf("wrong.key")));

        Assert.That(good, Is.Empty);
        Assert.That(bad.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            $"{files.Directory}/bad.conf:6:38: error: {files.Directory}/certs/wrong.key is not the private key of {files.Directory}/certs/host.crt",
        }));
    }

    [Test]
    public void CheckNeedsNoRootForTheInteropConfigs()
    {
        using var files = new ConfigTestFiles();
        var pki = KernelIpsec.Tests.Interop.TestPki.Create(Path.Combine(files.Directory, "pki"));

        foreach (var variant in new[] { KernelIpsec.Tests.Interop.InteropVariant.Rsa, KernelIpsec.Tests.Interop.InteropVariant.PskAes128 })
        {
            var written = KernelIpsec.Tests.Interop.RacoonSideConfig.Write(Path.Combine(files.Directory, variant.Name), variant, isLeft: true, pki);
            var output = new StringWriter();
            Assert.That(ConfigCheck.Run(written.RacoonConf, output), Is.Zero, output.ToString());
        }
    }
}
