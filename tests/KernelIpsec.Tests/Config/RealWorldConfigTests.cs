using System.Net;
using System.Text;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

/// <summary>
/// racoon.conf files in the styles distribution examples and HOWTOs use (written for these tests): spaces
/// before `;`, tabs, trailing blanks, comments at line ends and before `}`, no final line end, CRLF.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public sealed class RealWorldConfigTests
{
    /// <summary>A distribution's example file: a long comment header, commented-out alternatives, blanks before `;`.</summary>
    internal const string DistributionExample = """
        #
        # racoon.conf for a host that answers any peer knowing the pre-shared key.
        # See racoon.conf(5) for the details; lines starting with # are comments.
        #

        path pre_shared_key "/etc/racoon/psk.txt" ;
        path certificate "/etc/racoon/certs" ;

        #log debug ;

        remote anonymous {
                exchange_mode main,aggressive ;
                #exchange_mode aggressive,main ;
                doi ipsec_doi ;
                situation identity_only ;

                my_identifier address ;

                lifetime time 1 hour ;        # sec,min,hour
                initial_contact on ;
                proposal_check obey ;   # obey, strict or claim

                proposal {
                        encryption_algorithm 3des ;
                        hash_algorithm sha1 ;
                        authentication_method pre_shared_key ;
                        dh_group 2 ;
                }
        }

        sainfo anonymous {
                pfs_group 2 ;
                lifetime time 1 hour ;
                encryption_algorithm 3des, blowfish 448, rijndael ;
                authentication_algorithm hmac_sha1, hmac_md5 ;
                compression_algorithm deflate ;
        }

        """;

    /// <summary>The issue's file: tabs, and a blank before `;` after an algorithm list.</summary>
    internal const string HowtoTabs = "path pre_shared_key \"/etc/racoon/psk.txt\";\n\nremote 192.0.2.2 {\n\texchange_mode main;\n\tproposal {\n\t\tencryption_algorithm aes 128 ;\n\t\thash_algorithm sha1;\n\t\tauthentication_method pre_shared_key;\n\t\tdh_group 2;\n\t}\n}\n\nsainfo anonymous {\n\tpfs_group 2;\n\tencryption_algorithm 3des ;\n\tauthentication_algorithm hmac_sha1 ;\n\tcompression_algorithm deflate ;\n}\n";

    /// <summary>Trailing blanks and tabs on many lines, blank lines with indentation, and no line end after the last `}`.</summary>
    internal const string TrailingBlanksNoFinalNewline = "path pre_shared_key \"/etc/racoon/psk.txt\";   \n\t\n" +
        "remote 192.0.2.2 [500]   {  \n    exchange_mode aggressive , main ;\t\n    my_identifier fqdn \"gw.example.org\" ;  \n" +
        "    peers_identifier fqdn \"peer.example.org\";\t\t\n    nat_traversal on ;    \n    dpd_delay 20 ; \n" +
        "    proposal {   \n        encryption_algorithm aes 256 ;   \n        hash_algorithm sha256 ;  \n" +
        "        authentication_method pre_shared_key ;\t\n        dh_group modp2048 ;  \n    }  \n}  \n  \n" +
        "sainfo address 10.1.0.0/24 any address 10.2.0.0/24 any   {\t\n    pfs_group modp2048 ;  \n    lifetime time 8 hour ;  \n" +
        "    encryption_algorithm aes 256 , aes 128 ;   \n    authentication_algorithm hmac_sha256 , hmac_sha1 ;   \n" +
        "    compression_algorithm deflate ;   \n}";

    /// <summary>Comments everywhere: at line ends inside blocks, right before `}`, between list items, and at the end of the file without a line end.</summary>
    internal const string CommentsEverywhere = """
        # gateway to the branch office
        path script "/etc/racoon/scripts # not a comment; nor { this }" ; # but this is
        listen {                           # where racoon listens
        	isakmp 192.0.2.1 [500] ;         # IKE
        	isakmp_natt 192.0.2.1 [4500];    # NAT-T
        	# adminsock disabled;
        }
        timer { natt_keepalive 15 sec ; # keep NAT bindings open
        }
        remote 198.51.100.7 # the branch
        {
        	exchange_mode main ; # no aggressive mode
        	proposal { # phase 1
        		encryption_algorithm aes ; hash_algorithm sha1 ; # sha1 for the old box
        		authentication_method pre_shared_key ; dh_group modp1024 ;
        		# end of proposal
        	}
        	# end of remote
        }
        sainfo subnet 10.1.0.0/16 any subnet 10.9.0.0/16 any # branch LAN
        {
        	encryption_algorithm aes 128 , # fast
        		3des ; # for the old box
        	authentication_algorithm hmac_sha1 # ,hmac_md5
        	;
        	compression_algorithm deflate;
        } # end of file, no line end
        """;

    /// <summary>Nothing between tokens where racoon's lexer needs nothing: `remote anonymous{`, `;}`, `2min`, `3des,aes`.</summary>
    internal const string Glued = "remote anonymous{exchange_mode main,aggressive;lifetime time 30min;proposal{encryption_algorithm 3des;hash_algorithm md5;authentication_method pre_shared_key;dh_group 2;}}\n" +
        "sainfo address 10.0.0.0/24[any]any address 10.1.0.0/24[any]any{pfs_group 2;lifetime time 1hour;encryption_algorithm 3des,aes 256,blowfish;authentication_algorithm hmac_sha1,hmac_md5;compression_algorithm deflate;}";

    internal static readonly (string Name, string Text)[] Files =
    [
        (nameof(DistributionExample), DistributionExample),
        (nameof(HowtoTabs), HowtoTabs),
        (nameof(TrailingBlanksNoFinalNewline), TrailingBlanksNoFinalNewline),
        (nameof(CommentsEverywhere), CommentsEverywhere),
        (nameof(Glued), Glued),
        ("HowtoTabsCrlf", HowtoTabs.Replace("\n", "\r\n")),
        ("DistributionExampleCrlf", DistributionExample.Replace("\n", "\r\n")),
    ];

    [TestCase("encryption_algorithm 3des ;")]
    [TestCase("encryption_algorithm 3des\t;")]
    [TestCase("encryption_algorithm 3des\n;")]
    [TestCase("encryption_algorithm 3des # comment\n;")]
    [TestCase("encryption_algorithm aes 128 ;")]
    [TestCase("encryption_algorithm aes 128 , 3des ;")]
    [TestCase("authentication_algorithm hmac_sha1 ;")]
    [TestCase("compression_algorithm deflate ;")]
    public void ABlankBeforeTheSemicolonEndsAnAlgorithmList(string statement)
    {
        var text = "sainfo anonymous {\n\tpfs_group 2;\n\tencryption_algorithm 3des;\n\tauthentication_algorithm hmac_sha1;\n\tcompression_algorithm deflate;\n}\n";
        var line = statement.Split(' ')[0];
        text = text.Replace(text.Split('\n').Single(l => l.Contains(line)), "\t" + statement);

        var config = ConfigTestFiles.ParseOk(text, "r.conf");

        var sainfo = config.Sainfos.Single();
        Assert.That(sainfo.EncryptionAlgorithms, Is.Not.Empty);
        Assert.That(sainfo.AuthenticationAlgorithms, Is.EqualTo(new[] { Phase2Authentication.HmacSha1 }));
        Assert.That(sainfo.CompressionAlgorithms, Has.Count.EqualTo(1));
    }

    [Test]
    public void TheIssuesSainfoIsReadAsWritten()
    {
        var config = ConfigTestFiles.ParseOk(HowtoTabs, "racoon.conf");

        var sainfo = config.Sainfos.Single();
        Assert.That(sainfo.PfsGroup, Is.EqualTo((DhGroupId?)DhGroupId.Modp1024));
        Assert.That(sainfo.EncryptionAlgorithms, Is.EqualTo(new[] { new CipherChoice<Phase2Encryption>(Phase2Encryption.TripleDes, null) }));
        Assert.That(sainfo.AuthenticationAlgorithms, Is.EqualTo(new[] { Phase2Authentication.HmacSha1 }));
        Assert.That(config.Remotes.Single().Proposals.Single().Encryption, Is.EqualTo(new CipherChoice<EncryptionAlgorithm>(EncryptionAlgorithm.AesCbc, 128)));
    }

    [Test]
    public void EveryStyleGivesTheModelItsTidyFormGives()
    {
        Assert.That(Fingerprint(DistributionExample), Is.EqualTo(Fingerprint("""
            path pre_shared_key "/etc/racoon/psk.txt"; path certificate "/etc/racoon/certs";
            remote anonymous { exchange_mode main, aggressive; doi ipsec_doi; situation identity_only; my_identifier address;
              lifetime time 1 hour; initial_contact on; proposal_check obey;
              proposal { encryption_algorithm 3des; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; } }
            sainfo anonymous { pfs_group 2; lifetime time 1 hour; encryption_algorithm 3des, blowfish 448, rijndael;
              authentication_algorithm hmac_sha1, hmac_md5; compression_algorithm deflate; }
            """)));
        Assert.That(Fingerprint(Glued), Is.EqualTo(Fingerprint("""
            remote anonymous { exchange_mode main, aggressive; lifetime time 30 min;
              proposal { encryption_algorithm 3des; hash_algorithm md5; authentication_method pre_shared_key; dh_group 2; } }
            sainfo address 10.0.0.0/24 [any] any address 10.1.0.0/24 [any] any { pfs_group 2; lifetime time 1 hour;
              encryption_algorithm 3des, aes 256, blowfish; authentication_algorithm hmac_sha1, hmac_md5; compression_algorithm deflate; }
            """)));

        var trailing = ConfigTestFiles.ParseOk(TrailingBlanksNoFinalNewline);
        Assert.That(trailing.Remotes.Single().ExchangeModes, Is.EqualTo(new[] { ExchangeMode.Aggressive, ExchangeMode.Main }));
        Assert.That(trailing.Sainfos.Single().EncryptionAlgorithms.Select(e => e.KeyLength), Is.EqualTo(new int?[] { 256, 128 }));

        var commented = ConfigTestFiles.ParseOk(CommentsEverywhere);
        Assert.That(commented.Paths.Script, Is.EqualTo("/etc/racoon/scripts # not a comment; nor { this }"));
        Assert.That(commented.Listen.Addresses.Select(a => (a.Port, a.NatTraversal)), Is.EqualTo(new[] { (500, false), (4500, true) }));
        Assert.That(commented.Timers.NattKeepalive, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(commented.Sainfos.Single().EncryptionAlgorithms.Select(e => e.Algorithm), Is.EqualTo(new[] { Phase2Encryption.Aes, Phase2Encryption.TripleDes }));
        Assert.That(commented.Sainfos.Single().AuthenticationAlgorithms, Is.EqualTo(new[] { Phase2Authentication.HmacSha1 }), "'# ,hmac_md5' is a comment");
    }

    [Test]
    public void ANumberMayTouchItsTimeUnitAsInRacoon()
    {
        var glued = ConfigTestFiles.ParseOk("timer { phase1 45sec; phase2 2min; interval 1hour; natt_keepalive 0seconds; }");

        Assert.That((glued.Timers.Phase1, glued.Timers.Phase2, glued.Timers.Interval, glued.Timers.NattKeepalive),
            Is.EqualTo((TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(2), TimeSpan.FromHours(1), TimeSpan.Zero)));
        Assert.That(ConfigTestFiles.FirstError("timer { phase1 45secs5; }", "t.conf").ToString(),
            Is.EqualTo("t.conf:1:16: error: syntax error: unexpected '45secs5', expected a decimal number"));
    }

    [TestCase("sainfo anonymous { encryption_algorithm aes128; }", 1, 41, "syntax error: unexpected 'aes128', expected an ESP cipher (des, 3des, blowfish, cast128, aes, twofish, camellia, null_enc, ...)")]
    [TestCase("remote anonymous { exchange_mode mainaggressive; }", 1, 34, "syntax error: unexpected 'mainaggressive', expected an exchange mode (main, aggressive, base)")]
    [TestCase("remote anonymous{exchange_mode main;proposal_checkobey;}", 1, 37, "unknown directive 'proposal_checkobey' in remote section")]
    public void TwoWordsStillNeedABlankBetweenThem(string text, int line, int column, string message)
    {
        Assert.That(ConfigTestFiles.FirstError(text, "w.conf").ToString(), Is.EqualTo($"w.conf:{line}:{column}: error: {message}"));
    }

    [TestCase("sainfo anonymous { encryption_algorithm aes, foo,3des; }", 1, 46, "syntax error: unexpected 'foo', expected an ESP cipher (des, 3des, blowfish, cast128, aes, twofish, camellia, null_enc, ...)")]
    [TestCase("listen { isakmp 10.0.0.1 [500] [600]; }", 1, 32, "syntax error: unexpected '[600]', expected ';'")]
    [TestCase("remote anonymous { exchange_mode main#,aggressive\n\t,bogus; }", 2, 3, "syntax error: unexpected 'bogus', expected ';'")]
    public void AnErrorQuotesTheOneTokenItStopsAt(string text, int line, int column, string message)
    {
        Assert.That(ConfigTestFiles.FirstError(text, "w.conf").ToString(), Is.EqualTo($"w.conf:{line}:{column}: error: {message}"));
    }

    [Test]
    public void CrlfLineEndsReadAsLineEnds()
    {
        foreach (var (name, text) in Files.Where(f => !f.Text.Contains('\r')))
        {
            var crlf = text.Replace("\n", "\r\n");
            Assert.That(Fingerprint(crlf), Is.EqualTo(Fingerprint(text)), name);
        }
        var error = ConfigTestFiles.FirstError("remote anonymous {\r\n  exchange_mode main;\r\n  passive yes;\r\n}\r\n", "w.conf");
        Assert.That(error.ToString(), Is.EqualTo("w.conf:3:11: error: 'yes' is not a switch value: write 'on' or 'off'"), "a CR counts as no column of the next line");
    }

    [Test]
    public void AFileOnDiskWithCrlfAndAnIncludeInTheSameStyle()
    {
        using var files = new ConfigTestFiles();
        files.Write("racoon.d/10-sainfo.conf", "sainfo anonymous {\r\n\tpfs_group 2 ;\r\n\tencryption_algorithm aes 128 , 3des ;\r\n\tauthentication_algorithm hmac_sha1 ;\r\n\tcompression_algorithm deflate ;\r\n}\r\n");
        var main = files.Write("racoon.conf", $"path include \"{files.Directory}\" ;\r\ninclude \"racoon.d/*.conf\" ; # the sainfos\r\n" + HowtoTabs.Replace("sainfo anonymous", "sainfo address 10.0.0.1 any anonymous").Replace("\n", "\r\n").TrimEnd());

        var result = RacoonConfLoader.Read(main);

        Assert.That(result.Errors, Is.Empty, () => string.Join("\n", result.Diagnostics));
        Assert.That(result.Config!.Sainfos.Select(s => s.EncryptionAlgorithms.Count), Is.EqualTo(new[] { 2, 1 }));
    }

    [Test]
    public void PskFileWithCrlfKeepsNoCarriageReturnInTheKey()
    {
        using var files = new ConfigTestFiles();
        var path = files.Write("psk.txt", "# keys\r\n192.0.2.2\tsecret one\r\npeer.example.org  0x0a0b\r\n198.51.100.7 last-line-without-newline\r", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var table = PreSharedKeyFile.TryLoad(path, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(table!.Find("192.0.2.2"), Is.EqualTo(Encoding.ASCII.GetBytes("secret one")));
        Assert.That(table.Find("peer.example.org"), Is.EqualTo(new byte[] { 0x0a, 0x0b }), "a hex key followed by CR is still a hex key");
        Assert.That(table.Find("198.51.100.7"), Is.EqualTo(Encoding.ASCII.GetBytes("last-line-without-newline")));
        Assert.That(table.Problems, Is.Empty);
    }

    [Test]
    public void PskFileKeepsTrailingBlanksAsRacoonDoesButCheckSaysSo()
    {
        using var files = new ConfigTestFiles();
        var psk = files.Write("psk.txt", "192.0.2.2\tsecret  \n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var conf = files.Write("racoon.conf", $"path pre_shared_key \"{psk}\";\n" + HowtoTabs.Replace("path pre_shared_key \"/etc/racoon/psk.txt\";", ""));

        Assert.That(PreSharedKeyFile.TryLoad(psk, out _)!.Find("192.0.2.2"), Is.EqualTo(Encoding.ASCII.GetBytes("secret  ")));
        var check = ConfigCheck.Check(conf);
        Assert.That(check.Select(d => d.ToString()), Has.Some.EqualTo($"{conf}:1:21: warning: {psk}: line 1: the key of \"192.0.2.2\" ends with 2 blanks, which are part of the key (as in racoon); remove them unless the peer's key has them too"));
    }

    private static string Fingerprint(string text)
    {
        var result = RacoonConfLoader.ReadText(text, "f.conf");
        Assert.That(result.Errors, Is.Empty, () => string.Join("\n", result.Diagnostics));
        return ModelFingerprint.Of(result.Config, _ => "-");
    }
}
