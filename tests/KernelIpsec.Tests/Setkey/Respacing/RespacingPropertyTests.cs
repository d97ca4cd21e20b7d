using System.Reflection;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Packaging;
using NUnit.Framework;

namespace KernelIpsec.Tests.Setkey.Respacing;

/// <summary>
/// Blanks between tokens never change what a setkey script means: every script of the test
/// corpus (the golden scripts, the style files, every script a setkey parser or binder test case
/// gives, and the glued and broken forms below), written again with other blanks at every token
/// boundary (none where the tokens stay apart without one, several, tabs, LF and CRLF newlines,
/// <c># comments</c>), binds to the same kernel commands and reports the same problems, each at
/// the place its token moved to.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public partial class RespacingPropertyTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(add|update|get|getspi|delete|deleteall|flush|dump|spdadd|spdupdate|spddelete|spddump|spdflush|exit|quit|bye)\b")]
    private static partial System.Text.RegularExpressions.Regex StatementStart();

    private const int VariantsPerScript = 12;

    /// <summary>Forms the test cases elsewhere do not write: glued options and flags, broken statements of every kind.</summary>
    private static readonly string[] Extra =
    [
        "spdadd -62001:db8::/32 2001:db8:1::/48 any -Pout ipsec esp/transport//require;",
        "add -410.9.9.1 10.9.9.2 esp 0x100 -mtunnel -u7 -r32 -lh3600 -ls2880 -bh100 -bs50 -fzero-pad -Eaes-cbc 0x00112233445566778899aabbccddeeff -Ahmac-sha1 \"12345678901234567890\";",
        "add -4n 10.0.0.1 10.0.0.2 ipcomp 0x5004 -Cdeflate -R;",
        "add -6 ::1 ::2 esp 1 -ctx1 2\"label\" -Enull;",
        "spdadd 10.0.0.0/24[any] 10.0.1.0/24[500] udp -Pin prio-5 ipsec esp/tunnel/10.0.0.1[500]-10.0.1.1[500]/unique:3 ah/transport//use;",
        "spdadd 1.1.1.1 2.2.2.2 any -P out prio-5;",
        "spddelete 1.1.1.1 2.2.2.2 any -P out esp/transport//require;",
        "spdadd 1.1.1.1 2.2.2.2 any -P out prio def+5;",
        "spdadd 1.1.1.1 2.2.2.2 any -P out prio low-7 discard;",
        "spddelete 1.1.1.1 2.2.2.2 any -P in;",
        "spdadd tagged \"t1\" -P out prio 3;",
        "add 1.1.1.1 2.2.2.2 esp 1 -x -E null;",
        "add -64.1.1.1 2.2.2.2 esp 1 -E null;",
        "flush;\nbogus 1 2;\nspdflush;\nadd \"a;b\" x;\nspddump;",
        "spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel/1.1.1.1-;",
        "add 1.1.1.1 2.2.2.2 esp 0x100 -E aes-cbc 0x0011 -A hmac-md5 \"k\";",
        "add host.example 2.2.2.2 esp 1 -E null;\nspdadd 1.1.1.1 2.2.2.2 nosuchproto -P out none;",
        "spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/transport//require",
        "exit; anything after exit is not read: -x \" ;",
    ];

    private static IEnumerable<TestCaseData> Corpus()
    {
        var root = RepositoryRoot.Find();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "tests/golden/setkey/scripts"), "*.conf")
                     .Concat(Directory.GetFiles(Path.Combine(root, "tests/KernelIpsec.Tests/Setkey/Styles"), "*.conf"))
                     .Order(StringComparer.Ordinal))
        {
            yield return new TestCaseData(File.ReadAllText(file)).SetArgDisplayNames(Path.GetFileName(file));
        }

        var fromTests = new[] { typeof(GrammarTests).GetMethods(), typeof(BinderTests).GetMethods(), typeof(GluedTokenTests).GetMethods(), typeof(SetkeyCliTests).GetMethods() }
            .SelectMany(methods => methods)
            .SelectMany(m => m.GetCustomAttributes<TestCaseAttribute>())
            .SelectMany(c => c.Arguments.OfType<string>())
            .Where(s => s.Contains(';', StringComparison.Ordinal) && StatementStart().IsMatch(s))
            .Distinct()
            .Order(StringComparer.Ordinal);
        var k = 0;
        foreach (var script in fromTests.Concat(Extra))
            yield return new TestCaseData(script).SetArgDisplayNames($"script {k++}");
    }

    [TestCaseSource(nameof(Corpus))]
    public void SameOutcomeWhateverTheBlanks(string script)
    {
        var expected = ScriptOutcome.Of(script, offset => offset, script);
        var variants = new List<RespacedScript> { Respacer.Tight(script), Respacer.Uniform(script, glue: false, "\r\n\t# c\r\n ") };
        var respacer = new Respacer(script.Length * 31 + script.Count(c => c == ';'));
        for (var k = 0; k < VariantsPerScript; k++)
            variants.Add(respacer.Respace(script));
        foreach (var variant in variants)
        {
            var actual = ScriptOutcome.Of(variant.Text, offset => offset, variant.Text);
            var moved = ScriptOutcome.Of(script, offset => variant.MapOffset(offset, script.Length), variant.Text);
            Assert.That(actual.Commands, Is.EqualTo(expected.Commands), () => $"commands differ for:\n{variant.Text}");
            Assert.That(actual.Problems, Is.EqualTo(moved.Problems), () => $"problems differ for:\n{variant.Text}");
        }
    }

    [Test]
    public void TheCorpusHasWorkingAndBrokenScripts()
    {
        var outcomes = Corpus().Select(c => ScriptOutcome.Of((string)c.Arguments[0]!, o => o, (string)c.Arguments[0]!)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Count(o => o.Problems.Count == 0 && o.Commands.Length > 0), Is.GreaterThan(40));
            Assert.That(outcomes.Count(o => o.Problems.Count > 0), Is.GreaterThan(20));
        });
    }

    [TestCase("-Pout", true)]
    [TestCase("-Eaes-cbc", true)]
    [TestCase("-410.9.9.1", true)]
    [TestCase("10.0.0.1-m", false)]
    [TestCase("0x100-E", false)]
    public void TheReferenceTokensGlueOnlyWhereTheLexerSplits(string text, bool splits)
    {
        var tokens = ReferenceTokens.Tokenize(text);
        Assert.That(tokens.Count == 2, Is.EqualTo(splits), string.Join(" | ", tokens.Select(t => t.Text)));
    }
}
