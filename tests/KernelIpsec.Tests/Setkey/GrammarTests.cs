using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

[TestFixture, Category(Tier.Unit)]
public class GrammarTests
{
    private static T Single<T>(string script) where T : ScriptCommand
    {
        var parsed = SetkeyScriptParser.Parse(script, "t.conf");
        Assert.That(parsed.Errors, Is.Empty, () => string.Join("\n", parsed.Errors.Select(e => e.Message + " " + e.Expected)));
        Assert.That(parsed.Commands, Has.Count.EqualTo(1));
        return (T)parsed.Commands[0];
    }

    private static SetkeyScriptException SingleError(string script)
    {
        var parsed = SetkeyScriptParser.Parse(script, "t.conf");
        Assert.That(parsed.Errors, Has.Count.EqualTo(1));
        return parsed.Errors[0];
    }

    [Test]
    public void AddWithEveryExtension()
    {
        var add = Single<SaCommand>(
            "add -4n 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x2000 -m tunnel -u 7 -r 32 -lh 3600 -ls 2880 -bh 100 -bs 50 -f zero-pad -f nocyclic-seq\n" +
            "    -ctx 1 2 \"system_u:object_r:ipsec_spd_t:s0\" -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-md5 \"1234567890123456\";");
        Assert.Multiple(() =>
        {
            Assert.That(add.Operation, Is.EqualTo(SaOperation.Add));
            Assert.That(add.Options.Family, Is.EqualTo(System.Net.Sockets.AddressFamily.InterNetwork));
            Assert.That(add.Options.NumericOnly, Is.True);
            Assert.That(add.Source.Address.Text, Is.EqualTo("10.0.0.1"));
            Assert.That(add.Source.Port!.Text, Is.EqualTo("4500"));
            Assert.That(add.Protocol.Name.Text, Is.EqualTo("esp-udp"));
            Assert.That(add.Spi.Text, Is.EqualTo("0x2000"));
            Assert.That(add.Extensions.Select(e => e.Option.Text + " " + string.Join(" ", e.Values.Select(v => v.Text))),
                Is.EqualTo(new[] { "-m tunnel", "-u 7", "-r 32", "-lh 3600", "-ls 2880", "-bh 100", "-bs 50", "-f zero-pad", "-f nocyclic-seq", "-ctx 1 2 \"system_u:object_r:ipsec_spd_t:s0\"" }));
            Assert.That(add.Algorithms!.Encryption!.Name.Text, Is.EqualTo("aes-cbc"));
            Assert.That(add.Algorithms.Encryption.Key!.Text, Is.EqualTo("0x00112233445566778899aabbccddeeff"));
            Assert.That(add.Algorithms.Authentication!.Key!.Text, Is.EqualTo("\"1234567890123456\""));
            Assert.That(add.Algorithms.Authentication.Key.Position, Is.EqualTo(new SourcePosition("t.conf", 2, 107)));
        });
    }

    [TestCase("add 1.1.1.1 2.2.2.2 ah 15700 -A hmac-md5 \"1234567890123456\";", null, "hmac-md5", null)]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 15701 -E 3des-cbc \"123456789012123456789012\";", "3des-cbc", null, null)]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -E null -A hmac-sha1 0x0102;", "null", "hmac-sha1", null)]
    [TestCase("add 1.1.1.1 2.2.2.2 ipcomp 0x5004 -C deflate;", null, null, "deflate")]
    [TestCase("update 1.1.1.1 2.2.2.2 esp 7 -E aes-cbc 0x00112233445566778899aabbccddeeff;", "aes-cbc", null, null)]
    public void AlgorithmForms(string script, string? enc, string? auth, string? comp)
    {
        var add = Single<SaCommand>(script);
        Assert.Multiple(() =>
        {
            Assert.That(add.Algorithms!.Encryption?.Name.Text, Is.EqualTo(enc));
            Assert.That(add.Algorithms.Authentication?.Name.Text, Is.EqualTo(auth));
            Assert.That(add.Algorithms.Compression?.Name.Text, Is.EqualTo(comp));
        });
    }

    [Test]
    public void IpcompRawCpi()
    {
        var add = Single<SaCommand>("add 1.1.1.1 2.2.2.2 ipcomp 0x5004 -C deflate -R;");
        Assert.That(add.Algorithms!.RawCpi!.Text, Is.EqualTo("-R"));
    }

    [TestCase("get 1.1.1.1 2.2.2.2 esp 0x100;", SaOperation.Get)]
    [TestCase("delete 1.1.1.1 2.2.2.2 ah 256;", SaOperation.Delete)]
    [TestCase("getspi 1.1.1.1 2.2.2.2 esp 0;", SaOperation.GetSpi)]
    [TestCase("delete -6 fe80::1%eth0 fe80::2%eth0 esp 0x100 -m tunnel;", SaOperation.Delete)]
    public void SaLookupForms(string script, SaOperation operation)
    {
        Assert.That(Single<SaCommand>(script).Operation, Is.EqualTo(operation));
    }

    [Test]
    public void EspUdpWithOriginalAddress()
    {
        var add = Single<SaCommand>("add 1.1.1.1 2.2.2.2 esp-udp 192.168.0.1 0x100 -E aes-cbc 0x00112233445566778899aabbccddeeff;");
        Assert.That(add.Protocol.NatOriginalAddress!.Text, Is.EqualTo("192.168.0.1"));
    }

    [TestCase("deleteall 1.1.1.1 2.2.2.2 esp;")]
    public void DeleteAll(string script) =>
        Assert.That(Single<DeleteAllCommand>(script).Protocol.Name.Text, Is.EqualTo("esp"));

    [TestCase("flush;", null)]
    [TestCase("flush esp;", "esp")]
    [TestCase("flush ipcomp ;", "ipcomp")]
    public void Flush(string script, string? protocol) =>
        Assert.That(Single<FlushCommand>(script).Protocol?.Name.Text, Is.EqualTo(protocol));

    [TestCase("dump;", null)]
    [TestCase("dump ah;", "ah")]
    public void Dump(string script, string? protocol) =>
        Assert.That(Single<DumpCommand>(script).Protocol?.Name.Text, Is.EqualTo(protocol));

    [TestCase("spddump;")]
    public void SpdDump(string script) => Single<SpdDumpCommand>(script);

    [TestCase("spdflush;")]
    public void SpdFlush(string script) => Single<SpdFlushCommand>(script);

    [TestCase("exit;")]
    [TestCase("quit;")]
    [TestCase("bye;")]
    public void ExitStopsReading(string script)
    {
        var parsed = SetkeyScriptParser.Parse(script + " this is not setkey at all", "t.conf");
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Errors, Is.Empty);
            Assert.That(parsed.Commands.Single(), Is.TypeOf<ExitCommand>());
        });
    }

    [Test]
    public void SpdAddAcrossLinesWithComments()
    {
        var spd = Single<PolicyCommand>(
            "spdadd 10.0.0.216 10.0.0.11 any -P out ipsec # first the ESP\n" +
            "           esp/transport//require\n" +
            "           ah/transport//require;\n");
        Assert.Multiple(() =>
        {
            Assert.That(spd.Operation, Is.EqualTo(PolicyOperation.Add));
            Assert.That(spd.UpperProtocol.Text, Is.EqualTo("any"));
            Assert.That(spd.Policy.Direction.Text, Is.EqualTo("out"));
            Assert.That(spd.Policy.Action!.Text, Is.EqualTo("ipsec"));
            Assert.That(spd.Policy.Requests.Select(r => $"{r.Protocol}/{r.Mode}/{r.Level}"), Is.EqualTo(new[] { "esp/transport/require", "ah/transport/require" }));
            Assert.That(spd.Policy.Requests[1].Protocol.Position, Is.EqualTo(new SourcePosition("t.conf", 3, 12)));
        });
    }

    [Test]
    public void SpdAddSelectorsPortsPrefixesAndTunnel()
    {
        var spd = Single<PolicyCommand>("spdadd 10.50.0.0/16[any] 172.16.2.2[4500] udp -P in prio high + 5 ipsec esp/tunnel/172.16.1.1[500]-172.16.2.2[500]/unique:3;");
        Assert.Multiple(() =>
        {
            Assert.That(spd.Source.PrefixLength!.Text, Is.EqualTo("16"));
            Assert.That(spd.Source.Port!.Text, Is.EqualTo("any"));
            Assert.That(spd.Destination.PrefixLength, Is.Null);
            Assert.That(spd.Destination.Port!.Text, Is.EqualTo("4500"));
            Assert.That(spd.UpperProtocol.Text, Is.EqualTo("udp"));
            Assert.That(spd.Policy.Priority!.Base!.Text, Is.EqualTo("high"));
            Assert.That(spd.Policy.Priority.Sign!.Text, Is.EqualTo("+"));
            Assert.That(spd.Policy.Priority.Offset!.Text, Is.EqualTo("5"));
            var r = spd.Policy.Requests.Single();
            Assert.That(r.Endpoints!.Source.Text, Is.EqualTo("172.16.1.1"));
            Assert.That(r.Endpoints.SourcePort!.Text, Is.EqualTo("500"));
            Assert.That(r.Endpoints.Destination.Text, Is.EqualTo("172.16.2.2"));
            Assert.That(r.Level!.Text, Is.EqualTo("unique"));
            Assert.That(r.UniqueId!.Text, Is.EqualTo("3"));
        });
    }

    [TestCase("spdadd ::/0 ::/0 icmp6 135,0 -P in none;", "icmp6", "135,0")]
    [TestCase("spdadd 0.0.0.0/0 0.0.0.0/0 gre 0.0.4.210 -P out discard;", "gre", "0.0.4.210")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 50 -P out discard;", "50", null)]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 tcp -P out discard;", "tcp", null)]
    public void UpperLayerSpecs(string script, string upper, string? misc)
    {
        var spd = Single<PolicyCommand>(script);
        Assert.Multiple(() =>
        {
            Assert.That(spd.UpperProtocol.Text, Is.EqualTo(upper));
            Assert.That(spd.UpperMisc?.Text, Is.EqualTo(misc));
        });
    }

    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio 10 discard;", null, null, "10")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out priority - 10 discard;", null, "-", "10")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio low discard;", "low", null, null)]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio def - 3 discard;", "def", "-", "3")]
    public void PriorityForms(string script, string? @base, string? sign, string? offset)
    {
        var p = Single<PolicyCommand>(script).Policy.Priority!;
        Assert.Multiple(() =>
        {
            Assert.That(p.Base?.Text, Is.EqualTo(@base));
            Assert.That(p.Sign?.Text, Is.EqualTo(sign));
            Assert.That(p.Offset?.Text, Is.EqualTo(offset));
        });
    }

    [TestCase("esp/transport", null, null)]
    [TestCase("esp/transport/", null, null)]
    [TestCase("esp/transport//use", null, "use")]
    [TestCase("ah/tunnel/10.0.0.1-10.0.0.2", "10.0.0.1", null)]
    [TestCase("ipcomp/tunnel/fd00::1-fd00::2/default", "fd00::1", "default")]
    public void RequestShapes(string request, string? tunnelSource, string? level)
    {
        var r = Single<PolicyCommand>($"spdadd 1.1.1.1 2.2.2.2 any -P out ipsec {request};").Policy.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(r.Endpoints?.Source.Text, Is.EqualTo(tunnelSource));
            Assert.That(r.Level?.Text, Is.EqualTo(level));
        });
    }

    [Test]
    public void SpdDeleteWithDirectionOnly()
    {
        var spd = Single<PolicyCommand>("spddelete 10.1.0.0/16 10.2.0.0/16 any -P out;");
        Assert.Multiple(() =>
        {
            Assert.That(spd.Operation, Is.EqualTo(PolicyOperation.Delete));
            Assert.That(spd.Policy.Action, Is.Null);
        });
    }

    [Test]
    public void SpdUpdateWithContext()
    {
        var spd = Single<PolicyCommand>("spdupdate 1.1.1.1 2.2.2.2 any -ctx 1 1 \"label\" -P out none;");
        Assert.Multiple(() =>
        {
            Assert.That(spd.Operation, Is.EqualTo(PolicyOperation.Update));
            Assert.That(spd.Context!.Context.Text, Is.EqualTo("\"label\""));
        });
    }

    [Test]
    public void SpdAddTagged()
    {
        var spd = Single<TaggedPolicyCommand>("spdadd tagged \"t1\" -P out none;");
        Assert.That(spd.Tag.Text, Is.EqualTo("\"t1\""));
    }

    [TestCase("tests/golden/setkey/scripts/format-tour.conf", 13)]
    [TestCase("tests/golden/setkey/scripts/manual-keying.conf", 8)]
    [TestCase("tests/golden/setkey/scripts/policy-only.conf", 4)]
    public void GoldenScriptsParse(string relativePath, int commands)
    {
        var path = Path.Combine(KernelIpsec.Tests.Packaging.RepositoryRoot.Find(), relativePath);
        var parsed = SetkeyScriptParser.Parse(File.ReadAllText(path), path);
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Errors.Select(e => e.Message), Is.Empty);
            Assert.That(parsed.Commands, Has.Count.EqualTo(commands));
        });
    }

    // ---- errors: position, offending word, what was expected

    [Test]
    public void UnknownCommand()
    {
        var e = SingleError("flush;\n\n  bogus 1 2;\nspdflush;");
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Is.EqualTo("t.conf,3: syntax error at `bogus'"));
            Assert.That(e.Position, Is.EqualTo(new SourcePosition("t.conf", 3, 3)));
            Assert.That(e.Expected, Does.Contain("`add'").And.Contain("`spdadd'").And.Contain("`exit'"));
        });
    }

    [Test]
    public void UpdateIsAccepted() => Single<SaCommand>("update 1.1.1.1 2.2.2.2 ah 1 -A hmac-md5 \"1234567890123456\";");

    [TestCase("add 1.1.1.1 2.2.2.2 esp 0x100 -E aes-cbc 0x00 -A hmac-md5 \"k\" extra;", 1, 63, "extra", "`;'")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 0x100;", 1, 30, ";", "`-E'")]
    [TestCase("add 1.1.1.1 2.2.2.2 gre 0x100 -E null;", 1, 21, "gre", "a protocol")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp zz -E null;", 1, 25, "zz", "an SPI")]
    [TestCase("add 1.1.1.1\n 2.2.2.2 esp 1 -m sideways -E null;", 2, 19, "sideways", "a mode")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -r fast -E null;", 1, 30, "fast", "a decimal number")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -E null", 1, 34, "end of file", "`;'")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 esp -P out none;", 1, 24, "esp", "upper-layer protocol")]
    [TestCase("spdadd ::/0 ::/0 icmp6 135 -P in none;", 1, 24, "135", "`-P'")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P sideways none;", 1, 31, "sideways", "a direction")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/sideways//require;", 1, 45, "sideways", "a mode")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/transport//maybe;", 1, 56, "maybe", "a level")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio medium none;", 1, 40, "medium", "a priority")]
    [TestCase("deleteall 1.1.1.1 2.2.2.2;", 1, 26, ";", "a protocol")]
    [TestCase("spdflush now;", 1, 10, "now", "`;'")]
    public void SyntaxErrorsPointAtTheWord(string script, int line, int column, string near, string expected)
    {
        var e = SingleError(script);
        Assert.Multiple(() =>
        {
            Assert.That(e.Problem, Is.EqualTo("syntax error"));
            Assert.That(e.Near, Is.EqualTo(near));
            Assert.That(e.Position, Is.EqualTo(new SourcePosition("t.conf", line, column)));
            Assert.That(e.Expected, Does.Contain(expected));
        });
    }

    // The whole list of what was expected, in the grammar's order (statements and options are picked by
    // their first word; these pin that the picking reports what trying every form in turn did).
    [TestCase("bogus;", 1, "`add', `update', `get', `delete', `getspi', `deleteall', `flush', `dump', `spdadd', `spdupdate', `spddelete', `spddump', `spdflush', `exit', `quit' or `bye'")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 0x100;", 30, "`-E', `-A' or `-C'")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 0x100 -x 1 -E null;", 31, "`-E', `-A' or `-C'")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -m sideways -E null;", 30, "a mode (transport, tunnel or any)")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -ctx 1 x \"l\" -E null;", 34, "a decimal number")]
    [TestCase("spdadd -x 1 10.0.0.1 10.0.0.2 any -P out none;", 8, "`tagged' or an address")]
    [TestCase("spdadd tagged 1 -P out none;", 15, "a quoted string")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio medium none;", 40, "a priority (low, def, high, a number, or base +/- number)")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel/1.1.1.1-/require;", 60, "an address")]
    public void SyntaxErrorsSayExactlyWhatWasExpected(string script, int column, string expected)
    {
        var e = SingleError(script);
        Assert.That((e.Position, e.Expected), Is.EqualTo((new SourcePosition("t.conf", 1, column), expected)));
    }

    [Test]
    public void EveryBadStatementIsReportedAndGoodOnesStillParse()
    {
        var parsed = SetkeyScriptParser.Parse("flush;\nbogus;\nspdflush;\nadd \"a;b\" x;\nspddump;", "t.conf");
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Errors.Select(e => e.Position.Line), Is.EqualTo(new[] { 2, 4 }));
            Assert.That(parsed.Commands.Select(c => c.Keyword.Text), Is.EqualTo(new[] { "flush", "spdflush", "spddump" }));
        });
    }
}
