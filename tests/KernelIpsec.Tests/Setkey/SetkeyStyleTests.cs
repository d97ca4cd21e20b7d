using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Packaging;
using KernelIpsec.Tests.Setkey.Respacing;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// setkey files written the ways distributions and HOWTOs write them (Styles/*.conf, ours, in
/// their styles): a <c>#!/usr/sbin/setkey -f</c> first line, <c>flush;</c> <c>spdflush;</c>,
/// commented-out examples, tabs, statements continued over lines, blanks before the <c>;</c>,
/// trailing blanks, no newline after the last line; and the same files edited on Windows (CRLF).
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class SetkeyStyleTests
{
    private static string Style(string name) =>
        File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "tests/KernelIpsec.Tests/Setkey/Styles", name));

    private static BoundScript Bind(string text)
    {
        var parsed = SetkeyScriptParser.Parse(text, "ipsec-tools.conf");
        Assert.That(parsed.Errors.Select(e => e.Message), Is.Empty);
        var bound = new ScriptBinder(ScriptOutcome.Options).Bind(parsed.Commands);
        Assert.That(bound.Errors.Select(e => e.Message + " / " + e.Expected), Is.Empty);
        return bound;
    }

    private static IEnumerable<SecurityPolicy> Policies(BoundScript bound) => bound.Commands.OfType<AddPolicyCommand>().Select(c => c.Policy);

    [Test]
    public void DebianExampleFile()
    {
        var text = Style("debian-ipsec-tools.conf");
        var bound = Bind(text);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("#!/usr/sbin/setkey -f\n"));
            Assert.That(bound.Commands.Select(c => c.GetType().Name), Is.EqualTo(new[]
            {
                nameof(FlushSasCommand), nameof(FlushPoliciesCommand), nameof(AddPolicyCommand), nameof(AddPolicyCommand), nameof(AddPolicyCommand),
            }));
            Assert.That(Policies(bound).Select(p => $"{p.Direction} {p.Selector.Source} {p.Requests.Single().Mode}"),
                Is.EqualTo(new[] { "Out 192.168.10.1/32 Transport", "In 192.168.10.2/32 Transport", "Fwd 192.168.10.2/32 Transport" }));
            Assert.That(bound.Commands[3].Position.Line, Is.EqualTo(20), "the commented-out examples are skipped, lines still count");
        });
    }

    [Test]
    public void HowtoFileWithBlanksBeforeSemicolonsTrailingBlanksAndNoFinalNewline()
    {
        var text = Style("howto-manual-keys.conf");
        var bound = Bind(text);
        var sas = bound.Commands.OfType<AddSaCommand>().Select(c => c.Sa).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.EndWith("\n"));
            Assert.That(text, Does.Contain(";   \n").And.Contain("\t\"123456789012123456789012\" ;\t\n"));
            Assert.That(sas.Select(s => s.Id.Spi), Is.EqualTo(new uint[] { 15700, 24500, 15701, 24501 }));
            Assert.That(sas[2].Encryption!.Key.ToArray(), Is.EqualTo("123456789012123456789012"u8.ToArray()));
            Assert.That(Policies(bound).Select(p => p.Requests.Count), Is.EqualTo(new[] { 2, 2, 2 }));
        });
    }

    [Test]
    public void GatewayTunnelFileWithTabsAndContinuationLines()
    {
        var bound = Bind(Style("gateway-tunnel.conf"));
        var sa = bound.Commands.OfType<AddSaCommand>().First().Sa;
        var policies = Policies(bound).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sa.Mode, Is.EqualTo(IpsecMode.Tunnel));
            Assert.That(sa.ReqId, Is.EqualTo(1001u));
            Assert.That(sa.Authentication!.Algorithm.Name, Is.EqualTo("hmac-sha1"));
            Assert.That(policies[0].Priority, Is.EqualTo(0x80000000u - 10));
            Assert.That(policies[0].Requests.Single().ReqId, Is.EqualTo(1001u));
            Assert.That(policies.Count(p => p.Action == PolicyAction.Allow && p.Requests.Count == 0 && p.Priority == 0x40000000u), Is.EqualTo(3));
            Assert.That(policies.Last().Requests.Single().TunnelSource!.ToString(), Is.EqualTo("2001:db8::1"));
        });
    }

    [TestCase("debian-ipsec-tools.conf")]
    [TestCase("howto-manual-keys.conf")]
    [TestCase("gateway-tunnel.conf")]
    public void CrlfLineEndsMeanTheSame(string name)
    {
        var text = Style(name);
        var crlf = text.ReplaceLineEndings("\r\n");
        Assert.That(crlf, Does.Contain("\r\n"));
        var (windows, unix) = (ScriptOutcome.Of(crlf, o => o, crlf), ScriptOutcome.Of(text, o => o, text));
        Assert.Multiple(() =>
        {
            Assert.That(windows.Commands, Is.EqualTo(unix.Commands));
            Assert.That(windows.Problems, Is.EqualTo(unix.Problems));
        });
    }

    [Test]
    public void CrlfFileWithAnErrorPointsAtItsLineAndColumn()
    {
        var parsed = SetkeyScriptParser.Parse("#!/usr/sbin/setkey -f\r\nflush;\r\nspdadd 10.0.0.1 10.0.0.2 any -P out ipsec\r\n\tesp/transport//sure ;\r\n", "win.conf");
        var e = parsed.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Is.EqualTo("win.conf,4: syntax error at `sure'"));
            Assert.That(e.Position, Is.EqualTo(new SourcePosition("win.conf", 4, 17)));
            Assert.That(parsed.Commands.Select(c => c.Keyword.Text), Is.EqualTo(new[] { "flush" }));
        });
    }
}
