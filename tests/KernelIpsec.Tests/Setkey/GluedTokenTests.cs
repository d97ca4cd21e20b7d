using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// Where ipsec-tools' lexers need no blank, or forbid one (issue 14): options are cut as token.l's
/// longest match cuts them, so a value glued to its option letter is the next word; a policy
/// needs an action before a priority or requests (policy_parse.y); a tunnel endpoint's port
/// is one word, <c>[N]</c>.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class GluedTokenTests
{
    private static ParsedScript Parse(string script) => SetkeyScriptParser.Parse(script, "t.conf");

    private static T Single<T>(string script) where T : ScriptCommand
    {
        var parsed = Parse(script);
        Assert.That(parsed.Errors.Select(e => e.Message + " expected " + e.Expected), Is.Empty);
        return (T)parsed.Commands.Single();
    }

    [Test]
    public void OptionLettersGluedToTheirValues()
    {
        var add = Single<SaCommand>("add -410.9.9.1 10.9.9.2 esp 0x100 -mtunnel -u7 -r32 -lh3600 -ls2880 -bh100 -bs50 -fzero-pad -ctx1 2\"l\"" +
            " -Eaes-cbc 0x00112233445566778899aabbccddeeff -Ahmac-sha1 \"12345678901234567890\";");
        Assert.Multiple(() =>
        {
            Assert.That(add.Options.Flags.Select(f => f.Text), Is.EqualTo(new[] { "-4" }));
            Assert.That(add.Source.Address.Text, Is.EqualTo("10.9.9.1"));
            Assert.That(add.Extensions.Select(e => e.Option.Text + "=" + string.Join(",", e.Values.Select(v => v.Text))),
                Is.EqualTo(new[] { "-m=tunnel", "-u=7", "-r=32", "-lh=3600", "-ls=2880", "-bh=100", "-bs=50", "-f=zero-pad", "-ctx=1,2,\"l\"" }));
            Assert.That(add.Algorithms!.Encryption!.Name.Text, Is.EqualTo("aes-cbc"));
            Assert.That(add.Algorithms.Encryption.Name.Position, Is.EqualTo(new SourcePosition("t.conf", 1, 106)));
            Assert.That(add.Algorithms.Authentication!.Name.Text, Is.EqualTo("hmac-sha1"));
        });
    }

    [Test]
    public void CompressionAndRawCpiGlued()
    {
        var add = Single<SaCommand>("add 1.1.1.1 2.2.2.2 ipcomp 0x5004 -Cdeflate -R;");
        Assert.Multiple(() =>
        {
            Assert.That(add.Algorithms!.Compression!.Name.Text, Is.EqualTo("deflate"));
            Assert.That(add.Algorithms.RawCpi, Is.Not.Null);
        });
    }

    [TestCase("spdadd -62001:db8::/32 2001:db8:1::/48 any -Pout ipsec esp/transport//require;", "-6", "2001:db8::", "out")]
    [TestCase("spdadd -6n::1 ::2 any -Pin none;", "-6n", "::1", "in")]
    [TestCase("spdadd -4-n 10.0.0.1 10.0.0.2 any -P\nfwd discard;", "-4 -n", "10.0.0.1", "fwd")]
    public void AddressFlagsAndPolicyGlued(string script, string flags, string source, string direction)
    {
        var spd = Single<PolicyCommand>(script);
        Assert.Multiple(() =>
        {
            Assert.That(string.Join(" ", spd.Options.Flags.Select(f => f.Text)), Is.EqualTo(flags));
            Assert.That(spd.Source.Address.Text, Is.EqualTo(source));
            Assert.That(spd.Policy.Direction.Text, Is.EqualTo(direction));
        });
    }

    // token.l: `-[n46]+' takes every flag letter, so a dotted address glued to a flag ending in one of
    // them loses its first digits and starts with a dot, which no rule takes.
    [TestCase("add -64.1.1.1 2.2.2.2 esp 1 -E null;", 8, ".", "an address")]
    // A dash starting no option is no word: the message shows it with its letters.
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -x -E null;", 27, "-x", "`-E', `-A' or `-C'")]
    [TestCase("add 1.1.1.1 2.2.2.2 esp 1 -mode tunnel -E null;", 29, "ode", "a mode (transport, tunnel or any)")]
    // Glued the other way round the lexer keeps one word: an option needs a blank before it.
    [TestCase("add 1.1.1.1 2.2.2.2 esp 0x100-E null;", 25, "0x100-E", "an SPI (decimal or 0x…)")]
    public void GluedFormsThatStayErrors(string script, int column, string near, string expected)
    {
        var e = Parse(script).Errors.Single();
        Assert.That((e.Position.Column, e.Near, e.Expected), Is.EqualTo((column, near, expected)));
    }

    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio-5;", 41, ";", "an action (discard, none, ipsec, entrust or bypass)")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio def +5 ;", 47, ";", "an action (discard, none, ipsec, entrust or bypass)")]
    [TestCase("spddelete 1.1.1.1 2.2.2.2 any -P out esp/transport//require;", 38, "esp",
        "`prio' or `priority', an action (discard, none, ipsec, entrust or bypass) or `;'")]
    [TestCase("spdadd tagged \"t\" -P in priority 3;", 35, ";", "an action (discard, none, ipsec, entrust or bypass)")]
    public void PolicyWithoutAnActionIsRefused(string script, int column, string near, string expected)
    {
        var e = Parse(script).Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Is.EqualTo($"t.conf,1: syntax error at `{near}'"));
            Assert.That((e.Position.Column, e.Expected), Is.EqualTo((column, expected)));
        });
    }

    [TestCase("spddelete 1.1.1.1 2.2.2.2 any -P out;")]
    [TestCase("spddelete 1.1.1.1 2.2.2.2 any -P out ;")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio-5 discard;")]
    [TestCase("spdadd 1.1.1.1 2.2.2.2 any -P out prio def+5 none;")]
    public void DirectionAloneOrPriorityWithAction(string script) => Single<PolicyCommand>(script);

    [Test]
    public void TunnelEndpointPortIsOneWord()
    {
        var request = Single<PolicyCommand>("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel/1.1.1.1 [500]-2.2.2.2[4500]/require;").Policy.Requests.Single();
        var e = Parse("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel/1.1.1.1[ 500]-2.2.2.2[500]/require;").Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That((request.Endpoints!.SourcePort!.Text, request.Endpoints.DestinationPort!.Text), Is.EqualTo(("500", "4500")));
            Assert.That(request.Endpoints.DestinationPort.Position.Column, Is.EqualTo(74));
            Assert.That((e.Position.Column, e.Near, e.Expected), Is.EqualTo((59, "[", "a port ([number], no blank inside the brackets)")));
        });
    }
}
