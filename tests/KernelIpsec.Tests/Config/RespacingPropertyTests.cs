using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.RegularExpressions;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Config;

/// <summary>
/// racoon's lexer drops blanks, tabs, line ends and `#` comments between any two tokens, so the layout of
/// a racoon.conf never changes what it means. Every config of the test corpus, good and broken, is laid out
/// again at every token boundary (nothing where two tokens may touch, blanks, tabs, line ends, CRLF,
/// comments; deterministic seeds) and must give the same model and the same diagnostics, at the position
/// the same token has moved to.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public sealed partial class RespacingPropertyTests
{
    private const string FileName = "respaced.conf";

    /// <summary>Broken inputs beyond the ones the other fixtures pin, around the places blanks used to matter.</summary>
    private static readonly string[] MoreBrokenInputs =
    [
        "sainfo anonymous {\n  encryption_algorithm 3des , ;\n}\n",
        "sainfo anonymous {\n  authentication_algorithm hmac_sha1 hmac_md5;\n}\n",
        "sainfo anonymous {\n  encryption_algorithm aes 100 , 3des;\n}\n",
        "sainfo anonymous {\n  compression_algorithm deflate # no end\n}\n",
        "remote anonymous {\n  exchange_mode main , ;\n}\n",
        "mode_cfg {\n  dns4 10.0.0.1 , 10.0.0.2 , ;\n}\n",
        "mode_cfg {\n  split_network include 10.0.0.0/8 , 10.1.0.0 ;\n}\n",
        "timer {\n  phase1 30 ;\n}\n",
        "timer {\n  phase1 30 fortnights ;\n}\n",
        "listen {\n  adminsock \"/run/r.sock\" \"root\" \"adm\" 0999 ;\n}\n",
        "remote anonymous [4500] inherit {\n}\n",
        "sainfo address 10.0.0.0/24 any address 10.1.0.0/99 any {\n}\n",
        "sainfo address 10.0.0.1 [any] icmp6 anonymous {\n}\n",
        "remote anonymous {\n  exchange_mode main;\n  proposal {\n    encryption_algorithm aes 128 ;\n  }\n",
        "privsep { user \"racoon\" ; group 0x10 ; }\n",
        "sainfo anonymous {\n  encryption_algorithm aes, foo,3des;\n}\n",
        "sainfo anonymous {\n  encryption_algorithm aes, 3des foo[500];\n}\n",
        "listen {\n  isakmp 10.0.0.1 [500] [600];\n}\n",
        "remote anonymous {\n  exchange_mode main,bogus#x\n;\n}\n",
    ];

    private static IEnumerable<(string Name, string Text)> Corpus()
    {
        yield return ("DirectiveCorpus", DirectiveCorpusTests.Everything);
        yield return ("AnonymousRsaSig", SeedConfigTests.AnonymousRsaSig);
        yield return ("AnonymousPsk", SeedConfigTests.AnonymousPsk);
        yield return ("PerHostRsaSig", SeedConfigTests.PerHostRsaSig);
        yield return ("GoodRemote", MalformedConfigTests.GoodRemote);
        foreach (var (name, text) in RealWorldConfigTests.Files)
            yield return ("RealWorld." + name, text);
        var broken = TestCaseTexts(typeof(MalformedConfigTests), nameof(MalformedConfigTests.SyntaxErrorsNameTheirPosition))
            .Concat(TestCaseTexts(typeof(KernelStatementTests), nameof(KernelStatementTests.BadKernelValuesNameTheirPosition)))
            .Concat(MoreBrokenInputs);
        var n = 0;
        foreach (var text in broken)
            yield return ($"Broken{++n}", text);
    }

    private static IEnumerable<string> TestCaseTexts([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type fixture, string method) =>
        fixture.GetMethod(method)!.GetCustomAttributes<TestCaseAttribute>().Select(t => (string)t.Arguments[0]!);

    private static IEnumerable<TestCaseData> CorpusCases() => Corpus().Select(c => new TestCaseData(c.Text).SetName($"Respaced({c.Name})"));

    [TestCaseSource(nameof(CorpusCases))]
    public void LayoutDoesNotChangeTheResult(string original)
    {
        var tokens = ConfLexerModel.Tokenize(original);
        Assume.That(tokens, Is.Not.Empty);
        var expected = Outcome(original, tokens.Select(t => t.Offset).ToArray());
        string Original(int i) => original[(i == 0 ? 0 : tokens[i - 1].Offset + tokens[i - 1].Text.Length)..(i < tokens.Count ? tokens[i].Offset : original.Length)];

        var variants = new List<(string Why, Func<int, string> Separator)>();
        // The same separator everywhere: each kind at each boundary at once.
        for (var s = 0; s < ConfLexerModel.Separators.Length; s++)
        {
            var sep = ConfLexerModel.Separators[s];
            variants.Add(($"separator #{s} everywhere", _ => sep));
        }
        // Seeded mixtures.
        for (var seed = 1; seed <= 12; seed++)
        {
            var random = new Random(seed);
            var choice = Enumerable.Range(0, tokens.Count + 1).Select(_ => ConfLexerModel.Separators[random.Next(ConfLexerModel.Separators.Length)]).ToArray();
            variants.Add(($"seed {seed}", i => choice[i]));
        }
        // One boundary at a time, the rest as written (nothing, blanks and tabs, a comment, CRLF in turn).
        int[] single = [0, 4, 8, 11];
        for (var at = 0; at <= tokens.Count; at++)
        {
            var boundary = at;
            var s = single[at % single.Length];
            var sep = ConfLexerModel.Separators[s];
            variants.Add(($"separator #{s} at boundary {at} only", i => i == boundary ? sep : Original(i)));
        }

        foreach (var (why, separator) in variants)
        {
            var (text, offsets) = ConfLexerModel.Layout(tokens, separator);
            var actual = Outcome(text, offsets);
            if (actual != expected)
                Assert.Fail($"Laid out with {why}, the result differs.\n--- text ---\n{Visible(text)}\n--- expected ---\n{expected}\n--- actual ---\n{actual}");
        }
    }

    [Test]
    public void TheGoodPartOfTheCorpusParsesWithoutErrors()
    {
        foreach (var (name, text) in Corpus().Where(c => !c.Name.StartsWith("Broken", StringComparison.Ordinal) && c.Name != "DirectiveCorpus"))
            Assert.That(RacoonConfLoader.ReadText(text, FileName).Errors, Is.Empty, name);
    }

    [Test]
    public void TheBrokenPartOfTheCorpusFails()
    {
        foreach (var (name, text) in Corpus().Where(c => c.Name.StartsWith("Broken", StringComparison.Ordinal)))
            Assert.That(RacoonConfLoader.ReadText(text, FileName).Succeeded, Is.False, name + ": " + text);
    }

    [Test]
    public void TheLexerModelFindsTheTokensRacoonSees()
    {
        var tokens = ConfLexerModel.Tokenize("sainfo address 10.1.0.1-10.1.0.9/24[any] tcp anonymous{ # c\n pfs_group 2;encryption_algorithm\t3des ,aes 128; path \"a b\"}");

        Assert.That(tokens.Select(t => t.Text), Is.EqualTo(new[]
        {
            "sainfo", "address", "10.1.0.1", "-10.1.0.9", "/24", "[any]", "tcp", "anonymous", "{", "pfs_group", "2", ";",
            "encryption_algorithm", "3des", ",", "aes", "128", ";", "path", "\"a b\"", "}",
        }));
    }

    /// <summary>Diagnostics and model with every position written as the token it points at.</summary>
    private static string Outcome(string text, int[] tokenOffsets)
    {
        var byPosition = new Dictionary<(int, int), string>();
        var positions = ConfLexerModel.Positions(text, [.. tokenOffsets, text.Length]);
        for (var i = 0; i < tokenOffsets.Length; i++)
            byPosition[positions[i]] = $"token {i}";
        byPosition.TryAdd(positions[^1], "end of file");
        string Name(int line, int column) => byPosition.TryGetValue((line, column), out var name) ? name : $"{line}:{column} (not a token start)";
        string Location(SourceLocation at) => at.File == FileName ? Name(at.Line, at.Column) : at.ToString();
        string Positions(string s)
        {
            s = LineColumn().Replace(s, m => Name(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)));
            s = FileLineColumn().Replace(s, m => Name(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)));
            return LineOnly().Replace(s, "line _)");
        }

        var result = RacoonConfLoader.ReadText(text, FileName);
        var lines = result.Diagnostics.Select(d => $"{d.Severity} at {(d.Location is null ? "-" : Location(d.Location))}: {Positions(d.Message)}").ToList();
        lines.Add("kernel: " + Positions(result.Kernel?.ToString() ?? "none"));
        lines.Add("model: " + Positions(ModelFingerprint.Of(result.Config, Location)));
        return string.Join("\n", lines);
    }

    private static string Visible(string text) => text.Replace("\r", "\\r").Replace("\t", "\\t");

    [GeneratedRegex(@"line (\d+) column (\d+)")]
    private static partial Regex LineColumn();

    [GeneratedRegex(@"respaced\.conf:(\d+):(\d+)")]
    private static partial Regex FileLineColumn();

    [GeneratedRegex(@"line \d+\)")]
    private static partial Regex LineOnly();
}
