using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

/// <summary>Bad racoon.conf input: each error names the file, line and column and what was expected.</summary>
[TestFixture, Category(Tier.Unit)]
public sealed class MalformedConfigTests
{
    internal const string GoodRemote = "remote anonymous {\n exchange_mode main;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n}\n";

    [TestCase("log notfy;", 1, 5, "syntax error: unexpected 'notfy', expected a log level (error, warning, notify, info, debug, debug2)")]
    [TestCase("log info", 1, 9, "syntax error: unexpected end of file, expected ';'")]
    [TestCase("frobnicate on;", 1, 1, "unknown directive 'frobnicate' in the top level")]
    [TestCase("timer {\n  counter 0x10;\n}", 2, 11, "hex number '0x10' is not accepted here: racoon.conf numbers are decimal")]
    [TestCase("timer {\n  interval 10;\n}", 2, 14, "syntax error: unexpected ';', expected a time unit (sec, min, hour)")]
    [TestCase("timer {\n  phase1 30 sec;\n  bogus 1;\n}", 3, 3, "unknown directive 'bogus' in timer section")]
    [TestCase("listen {\n\tisakmp host.example.org [500];\n}", 2, 9, "'host.example.org' is not an IP address (racoon.conf takes numeric addresses, no host names)")]
    [TestCase("listen {\n\tisakmp 10.0.0.1 [70000];\n}", 2, 18, "port 70000 is out of range (0-65535)")]
    [TestCase("path certificate /etc/racoon/certs;", 1, 18, "syntax error: unexpected '/etc/racoon/certs', expected a quoted string")]
    [TestCase("path include \"/etc/racoon;", 1, 14, "unterminated string: missing closing '\"'")]
    [TestCase("remote anonymous {\n  passive yes;\n}", 2, 11, "'yes' is not a switch value: write 'on' or 'off'")]
    [TestCase("remote anonymous {\n  exchange_mode main;\n  dh_group 2;\n}", 3, 12, "dh_group cannot be defined here: write it inside proposal { }")]
    [TestCase("remote anonymous {\n  exchange_mode main;\n  keepalive;\n}", 3, 3, "unknown directive 'keepalive' in remote section")]
    [TestCase("remote anonymous {\n  exchange_mode main;\n  proposal {\n    encryption_algorithm 3des 192;\n  }\n}", 4, 31, "keylen not allowed: this cipher has a fixed key length")]
    [TestCase("remote anonymous {\n  exchange_mode main;\n  proposal {\n    encryption_algorithm aes 100;\n  }\n}", 4, 30, "invalid keylen 100: must be 128 to 256 in steps of 64")]
    [TestCase("remote anonymous {\n  exchange_mode main;\n  lifetime byte 10 MB;\n}", 3, 12, "byte lifetime support is deprecated in Phase1: use lifetime time N unit")]
    [TestCase("remote anonymous {\n  exchange_mode main;\n", 3, 1, "unexpected end of file: the block opened at line 1 column 18 has no closing '}'")]
    [TestCase("sainfo address 10.0.0.1 [22] icmp address 10.0.0.2 any {\n}", 1, 25, "port number must be \"any\" for icmp and icmp6")]
    [TestCase("sainfo { }", 1, 8, "syntax error: unexpected '{', expected 'anonymous' or a sainfo id (address ADDR[/plen] [port] proto, subnet ..., fqdn \"...\", user_fqdn \"...\", keyid \"...\")")]
    [TestCase("sainfo address 10.0.0.0/24 any address 10.1.0.0/24 any {\n  encryption_algorithm aes,;\n}", 2, 28, "syntax error: unexpected ';', expected an ESP cipher (des, 3des, blowfish, cast128, aes, twofish, camellia, null_enc, ...)")]
    [TestCase("sainfo asn1dn \"C=XX\" anonymous {\n}", 1, 8, "asn1dn cannot be a sainfo id (use address, subnet, fqdn, user_fqdn or keyid)")]
    public void SyntaxErrorsNameTheirPosition(string text, int line, int column, string message)
    {
        var error = ConfigTestFiles.FirstError(text, "/etc/racoon/racoon.conf");

        Assert.That(error.ToString(), Is.EqualTo($"/etc/racoon/racoon.conf:{line}:{column}: error: {message}"));
    }

    [Test]
    public void MissingExchangeModeAndProposalAreReportedAtTheSection()
    {
        var result = KernelIpsec.Keyd.Config.RacoonConfLoader.ReadText("\n\nremote 10.0.0.1 {\n  passive on;\n}\n", "r.conf");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "r.conf:3:1: error: remote \"10.0.0.1[500]\": no exchange mode specified (add exchange_mode main; for example)",
            "r.conf:3:1: error: remote \"10.0.0.1[500]\": no proposal specified (add a proposal { encryption_algorithm ...; hash_algorithm ...; authentication_method ...; dh_group ...; })",
        }));
        Assert.That(result.Config, Is.Null, "nothing is half-applied");
    }

    [Test]
    public void IncompleteProposalAndAggressiveGroupMismatchAreErrors()
    {
        var incomplete = ConfigTestFiles.FirstError("remote anonymous {\n exchange_mode main;\n proposal { encryption_algorithm aes; }\n}\n", "r.conf");
        Assert.That(incomplete.ToString(), Is.EqualTo("r.conf:3:2: error: incomplete proposal: missing hash_algorithm, authentication_method, dh_group"));

        var aggressive = ConfigTestFiles.FirstError("""
            remote anonymous {
              exchange_mode aggressive;
              proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }
              proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 14; }
            }
            """, "r.conf");
        Assert.That(aggressive.Message, Does.EndWith("DH group must be equal in all proposals when aggressive mode is used"));
    }

    [Test]
    public void SainfoWithoutAlgorithmsAndDuplicatesAreErrors()
    {
        var result = KernelIpsec.Keyd.Config.RacoonConfLoader.ReadText("""
            sainfo anonymous {
              encryption_algorithm aes;
            }
            sainfo address 10.0.0.1 any address 10.0.0.2 any { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
            sainfo address 10.0.0.1 any address 10.0.0.2 any { encryption_algorithm 3des; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
            """, "s.conf");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "s.conf:1:1: error: no authentication algorithm at sainfo anonymous (add authentication_algorithm hmac_sha1; for example)",
            "s.conf:1:1: error: no compression algorithm at sainfo anonymous (racoon requires one even when IPComp is not used: add compression_algorithm deflate;)",
            "s.conf:5:1: error: duplicated sainfo: address 10.0.0.1 any address 10.0.0.2 any (already defined at line 4)",
        }));
    }

    [Test]
    public void InheritNeedsAnEarlierParent()
    {
        var error = ConfigTestFiles.FirstError("remote \"child\" inherit \"parent\";\n" + GoodRemote, "i.conf");
        Assert.That(error.ToString(), Is.EqualTo("i.conf:1:1: error: named parent remoteconf \"parent\" does not exist"));

        var duplicate = ConfigTestFiles.FirstError("remote \"a\" {\n exchange_mode main;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; }\n certificate_type x509 \"c\" \"k\";\n}\nremote \"a\" inherit \"a\";\n", "i.conf");
        Assert.That(duplicate.ToString(), Is.EqualTo("i.conf:6:1: error: named remoteconf \"a\" already exists"));
    }

    [Test]
    public void AnErrorInAnIncludedFileNamesThatFile()
    {
        using var files = new ConfigTestFiles();
        files.Write("conf.d/10-good.conf", GoodRemote);
        var bad = files.Write("conf.d/20-bad.conf", "\n\ntimer { counter five; }\n");
        var main = files.Write("racoon.conf", $"path include \"{files.Directory}\";\ninclude \"conf.d/*.conf\";\n");

        var result = KernelIpsec.Keyd.Config.RacoonConfLoader.Read(main);

        Assert.That(result.Errors.Single().ToString(), Is.EqualTo($"{bad}:3:17: error: syntax error: unexpected 'five', expected a decimal number"));
    }

    [Test]
    public void AnIncludeGlobWithoutMatchesIsAnError()
    {
        using var files = new ConfigTestFiles();
        var main = files.Write("racoon.conf", $"path include \"{files.Directory}\";\n  include \"missing/*.conf\";\n");

        var result = KernelIpsec.Keyd.Config.RacoonConfLoader.Read(main);

        Assert.That(result.Errors.Single().ToString(), Is.EqualTo($"{main}:2:3: error: glob found no matches for path \"{files.Directory}/missing/*.conf\""));
    }
}
