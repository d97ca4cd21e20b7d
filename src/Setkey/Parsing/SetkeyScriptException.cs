using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// A script that cannot be applied: a syntax error or a value the kernel would never accept
/// (unknown algorithm, bad key length, bad address). <see cref="Near"/> is the word the
/// message points at (setkey prints it as <c>at `word'</c>); <see cref="Expected"/> says what
/// would have been accepted there.
/// </summary>
public sealed class SetkeyScriptException : Exception
{
    public SetkeyScriptException(SourcePosition position, string problem, string near, string? expected = null)
        : base($"{position.File},{position.Line}: {problem} at `{near}'")
    {
        Position = position;
        Problem = problem;
        Near = near;
        Expected = expected;
    }

    public SourcePosition Position { get; }

    /// <summary>"syntax error", "Invalid key length", …</summary>
    public string Problem { get; }

    public string Near { get; }

    public string? Expected { get; }

    public static SetkeyScriptException At(Lexeme lexeme, string problem, string? expected = null) =>
        new(lexeme.Position, problem, lexeme.Text, expected);
}
