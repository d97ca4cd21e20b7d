using KernelIpsec.Ike.Config;
using Sprache;

namespace KernelIpsec.Keyd.Config;

/// <summary>The outcome of reading a racoon.conf: the model (when there were no errors) and every diagnostic.</summary>
public sealed record ConfigLoadResult(RacoonConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    /// <summary>The `kernel` statement (KernelIpsec extension) with where it stands, or null when the file has none.</summary>
    public KernelChoice? Kernel { get; init; }

    /// <summary>Every directive read, where it stands (what <see cref="DirectiveSupport"/> judged).</summary>
    public IReadOnlyList<DirectiveUse> Directives { get; init; } = [];

    public bool Succeeded => Config is not null;
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);
    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}

/// <summary>
/// Reads racoon.conf and its includes into a <see cref="RacoonConfig"/>. Statements are applied in
/// file order; `include "glob"` reads every match (sorted, as glob(3)) at that point, relative names
/// resolving against the `path include` in effect (else the working directory, as racoon). A syntax
/// error stops the file it is in; semantic errors are collected and reading goes on, so one run shows
/// them all. Nothing is half-applied: with any error, <see cref="ConfigLoadResult.Config"/> is null.
/// </summary>
public static partial class RacoonConfLoader
{
    /// <summary>racoon's MAX_INCLUDE_DEPTH.</summary>
    public const int MaxIncludeDepth = 10;

    public static ConfigLoadResult Read(string path) => Run(builder => ReadFile(builder, path, null));

    /// <summary>Reads <paramref name="path"/>, throwing <see cref="ConfigLoadException"/> with every diagnostic on any error.</summary>
    public static RacoonConfig Load(string path)
    {
        var result = Read(path);
        return result.Config ?? throw new ConfigLoadException(result.Diagnostics);
    }

    /// <summary>Parses configuration text (includes are resolved on disk); <paramref name="fileName"/> names it in messages.</summary>
    public static ConfigLoadResult ReadText(string text, string fileName = "racoon.conf") =>
        Run(builder => ParseText(builder, text, fileName));

    /// <summary>As <see cref="ReadText"/> with <c>include</c> statements ignored, never read: the fuzz harness touches no file.</summary>
    internal static ConfigLoadResult ReadTextWithoutIncludes(string text, string fileName = "racoon.conf") =>
        Run(builder => ParseText(builder, text, fileName), followIncludes: false);

    private static ConfigLoadResult Run(Action<ConfigBuilder> readTopFile, bool followIncludes = true)
    {
        var builder = new ConfigBuilder();
        var depth = 0;
        builder.Include = (glob, at) =>
        {
            if (!followIncludes)
                return;
            var pattern = glob.StartsWith('/') || string.IsNullOrEmpty(builder.Paths.Include) ? glob : Path.Combine(builder.Paths.Include, glob);
            if (pattern.StartsWith("~/", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("HOME") is { } home)
                pattern = Path.Combine(home, pattern[2..]);
            var matches = Glob.Expand(pattern);
            if (matches.Count == 0)
            {
                builder.Error(at, HasWildcard(pattern)
                    ? $"glob found no matches for path \"{pattern}\""
                    : $"cannot read include file \"{pattern}\": no such file");
                return;
            }
            if (depth >= MaxIncludeDepth)
            {
                builder.Error(at, $"includes nested more than {MaxIncludeDepth} deep (is a file including itself?)");
                return;
            }
            depth++;
            try
            {
                foreach (var match in matches)
                    ReadFile(builder, match, at);
            }
            finally
            {
                depth--;
            }
        };
        readTopFile(builder);
        // racoon takes this combination and then fails every login's accounting: say so where it is written.
        if (builder.ModeConfig is { Accounting: "pam", AuthSource: not "pam" }
            && builder.Directives.LastOrDefault(d => d is { Section: "mode_cfg", Directive: "accounting" }) is { } accounting)
        {
            builder.Warn(accounting.Location, "accounting pam without auth_source pam opens no PAM session: each login's accounting fails (\"pam handle is NULL\"), as in racoon; use auth_source pam");
        }
        WarnHashedCertificateDirectory(builder);
        var diagnostics = builder.Diagnostics;
        return new ConfigLoadResult(diagnostics.Any(d => d.IsError) ? null : builder.Build(), diagnostics) { Kernel = builder.Kernel, Directives = [.. builder.Directives] };
    }

    /// <summary>
    /// racoon also trusts the CA certificates and reads the CRLs that `path certificate` holds under OpenSSL hash names
    /// (<c>xxxxxxxx.0</c>, <c>xxxxxxxx.r0</c>); this racoon trusts ca_type's file only and reads no CRL: say so when such files are there.
    /// </summary>
    private static void WarnHashedCertificateDirectory(ConfigBuilder builder)
    {
        if (builder.Paths.Certificate is not { } directory || !Directory.Exists(directory)
            || builder.Directives.LastOrDefault(d => d is { Section: "", Directive: "path", Value: "certificate" }) is not { } written)
        {
            return;
        }
        var hashed = Directory.EnumerateFiles(directory).Select(Path.GetFileName).Where(n => n is not null && HashedName().IsMatch(n)).Order(StringComparer.Ordinal).ToList();
        if (hashed.Count > 0)
        {
            builder.Warn(written.Location, $"path certificate with hashed CA certificates or CRLs ({string.Join(", ", hashed.Take(3))}{(hashed.Count > 3 ? ", ..." : "")}) is not supported by this racoon: "
                + "only the ca_type file is trusted and no CRL is read");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{8}\\.r?[0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex HashedName();

    private static bool HasWildcard(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    private static void ReadFile(ConfigBuilder builder, string path, SourceLocation? includedAt)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            builder.Error(includedAt, $"cannot read configuration file \"{path}\": {e.Message}");
            return;
        }
        ParseText(builder, text, path);
    }

    private static void ParseText(ConfigBuilder builder, string text, string file)
    {
        var grammar = new RacoonConfGrammar(file);
        IInput input = new Input(text);
        while (true)
        {
            input = ConfTokens.SkipBlanks(input);
            if (input.AtEnd)
                return;
            var result = grammar.Statement(input);
            var written = grammar.TakeWritten();
            if (!result.WasSuccessful)
            {
                builder.Error(new SourceLocation(file, result.Remainder.Line, result.Remainder.Column), SyntaxMessage(result));
                return;
            }
            builder.Directives.AddRange(written);
            foreach (var use in written)
            {
                if (DirectiveSupport.Check(use) is { } diagnostic)
                    builder.Add(diagnostic);
            }
            try
            {
                result.Value(builder);
            }
            catch (ConfigErrorException e)
            {
                builder.Error(e.Location, e.Message);
            }
            input = result.Remainder;
        }
    }

    private static string SyntaxMessage<T>(IResult<T> failure)
    {
        var expected = failure.Expectations.Where(e => !string.IsNullOrEmpty(e)).Distinct().ToList();
        if (!failure.Message.StartsWith("unexpected", StringComparison.Ordinal) || expected.Count == 0)
            return failure.Message;
        return $"syntax error: {failure.Message}, expected {string.Join(" or ", expected)}";
    }
}
