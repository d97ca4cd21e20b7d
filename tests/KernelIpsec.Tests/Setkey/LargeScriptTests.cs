using System.Net;
using System.Text;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Names;
using KernelIpsec.Setkey.Parsing;
using KernelIpsec.Setkey.Parsing.Ast;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey;

/// <summary>
/// A script of the benchmark's shape (an SA and a policy per address pair, tens of thousands of
/// statements, as people load at boot) parses and binds completely, with every statement and
/// position right to the last line. Not timed: bench/setkey-bench.sh measures the speed.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class LargeScriptTests
{
    private const int Pairs = 10_000;

    private const string EncryptionKey = "0x00112233445566778899aabbccddeeff";

    private const string AuthenticationKey = "0x0102030405060708090a0b0c0d0e0f1011121314";

    private static (string Source, string Destination) Addresses(int i) =>
        ($"10.77.{i / 250 + 1}.{i % 250 + 1}", $"10.78.{i / 250 + 1}.{i % 250 + 1}");

    /// <summary>Two lines per pair (line 2i+1: add, 2i+2: spdadd); every 1000th pair carries a comment line after it.</summary>
    private static string Script(out int lines)
    {
        var text = new StringBuilder();
        lines = 0;
        for (var i = 0; i < Pairs; i++)
        {
            var (src, dst) = Addresses(i);
            text.Append("add ").Append(src).Append(' ').Append(dst).Append(" esp ").Append(4096 + i)
                .Append(" -E aes-cbc ").Append(EncryptionKey).Append(" -A hmac-sha1 ").Append(AuthenticationKey).Append(";\n");
            text.Append("spdadd ").Append(src).Append(' ').Append(dst).Append(" any -P out ipsec esp/transport//require;\n");
            lines += 2;
            if (i % 1000 == 999)
            {
                text.Append("# ").Append(i + 1).Append(" pairs so far; a ; in a comment ends nothing\n");
                lines++;
            }
        }
        return text.ToString();
    }

    /// <summary>The line of pair <paramref name="i"/>'s add statement.</summary>
    private static int AddLine(int i) => 2 * i + 1 + i / 1000;

    [Test]
    public void EveryStatementOfALargeScriptIsReadWithItsPosition()
    {
        var parsed = SetkeyScriptParser.Parse(Script(out _), "big.conf");
        Assert.That(parsed.Errors, Is.Empty, () => string.Join("\n", parsed.Errors.Take(5).Select(e => e.Message)));
        Assert.That(parsed.Commands, Has.Count.EqualTo(2 * Pairs));
        Assert.Multiple(() =>
        {
            foreach (var i in new[] { 0, 1, 999, 1000, 4321, Pairs - 1 })
            {
                var (src, dst) = Addresses(i);
                var add = (SaCommand)parsed.Commands[2 * i];
                Assert.That(add.Position, Is.EqualTo(new SourcePosition("big.conf", AddLine(i), 1)), $"add of pair {i}");
                Assert.That((add.Source.Address.Text, add.Destination.Address.Text, add.Protocol.Name.Text, add.Spi.Text),
                    Is.EqualTo((src, dst, "esp", (4096 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))), $"add of pair {i}");
                Assert.That(add.Algorithms!.Encryption!.Key!.Text, Is.EqualTo(EncryptionKey));
                Assert.That(add.Algorithms.Authentication!.Name.Text, Is.EqualTo("hmac-sha1"));
                Assert.That(add.Algorithms.Authentication.Key!.Position,
                    Is.EqualTo(new SourcePosition("big.conf", AddLine(i), 37 + src.Length + dst.Length + (4096 + i).ToString(System.Globalization.CultureInfo.InvariantCulture).Length + EncryptionKey.Length)));

                var spd = (PolicyCommand)parsed.Commands[2 * i + 1];
                Assert.That(spd.Position, Is.EqualTo(new SourcePosition("big.conf", AddLine(i) + 1, 1)), $"spdadd of pair {i}");
                Assert.That((spd.Source.Address.Text, spd.Destination.Address.Text, spd.UpperProtocol.Text, spd.Policy.Direction.Text),
                    Is.EqualTo((src, dst, "any", "out")), $"spdadd of pair {i}");
                Assert.That(spd.Policy.Requests.Select(r => (r.Protocol.Text, r.Mode!.Text, r.Level!.Text)),
                    Is.EqualTo(new[] { ("esp", "transport", "require") }));
            }
        });
    }

    [Test]
    public void ABadStatementAtTheEndOfALargeScriptIsReportedAtItsLineAndNothingElseIs()
    {
        const string bad = "spdadd 10.77.1.1 10.78.1.1 any -P out ipsec esp/transport//maybe;";
        var parsed = SetkeyScriptParser.Parse(Script(out var lines) + bad + "\n", "big.conf");
        Assert.That(parsed.Errors.Select(e => (e.Message, e.Position, e.Expected)), Is.EqualTo(new[]
        {
            ("big.conf," + (lines + 1) + ": syntax error at `maybe'", new SourcePosition("big.conf", lines + 1, bad.IndexOf("maybe", StringComparison.Ordinal) + 1),
                (string?)"a level (default, use, require, unique or unique:N)"),
        }));
        Assert.That(parsed.Commands, Has.Count.EqualTo(2 * Pairs));
    }

    [Test]
    public void ALargeScriptBindsToOneKernelCommandPerStatement()
    {
        var parsed = SetkeyScriptParser.Parse(Script(out _), "big.conf");
        var bound = new ScriptBinder(new BindingOptions(true, ProtocolNames.BuiltIn, ServiceNames.Empty, new DnsHostResolver())).Bind(parsed.Commands);
        Assert.That(bound.Errors, Is.Empty, () => string.Join("\n", bound.Errors.Take(5).Select(e => e.Message)));
        Assert.That(bound.Commands, Has.Count.EqualTo(2 * Pairs));

        var last = (AddSaCommand)bound.Commands[2 * (Pairs - 1)];
        var (src, dst) = Addresses(Pairs - 1);
        Assert.Multiple(() =>
        {
            Assert.That(last.Position.Line, Is.EqualTo(AddLine(Pairs - 1)));
            Assert.That(last.Sa.Id, Is.EqualTo(new SaId(IPAddress.Parse(src), IPAddress.Parse(dst), IpsecProtocol.Esp, (uint)(4096 + Pairs - 1))));
            Assert.That(Convert.ToHexStringLower(last.Sa.Encryption!.Key.ToArray()), Is.EqualTo(EncryptionKey[2..]));
            Assert.That(Convert.ToHexStringLower(last.Sa.Authentication!.Key.ToArray()), Is.EqualTo(AuthenticationKey[2..]));
            var policy = ((AddPolicyCommand)bound.Commands[2 * Pairs - 1]).Policy;
            Assert.That((policy.Direction, policy.Priority, policy.Requests.Single().Level), Is.EqualTo((PolicyDirection.Out, 0x80000000u, IpsecLevel.Require)));
        });
    }
}
