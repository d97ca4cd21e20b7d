using System.Text;

namespace KernelIpsec.Tests.Setkey.Respacing;

/// <summary>A script written again with other blanks between its tokens, and where each token now starts.</summary>
public sealed record RespacedScript(string Text, IReadOnlyList<ReferenceToken> Original, IReadOnlyList<int> Starts)
{
    /// <summary>
    /// Where an offset of the original script is in this one: inside a token, the same place in
    /// that token; at the end of the original, the end of this one.
    /// </summary>
    public int MapOffset(int offset, int originalLength)
    {
        if (offset >= originalLength)
            return Text.Length;
        for (var k = 0; k < Original.Count; k++)
        {
            var t = Original[k];
            if (offset >= t.Start && offset < t.Start + t.Text.Length)
                return Starts[k] + offset - t.Start;
        }
        throw new ArgumentException($"offset {offset} is not in a token", nameof(offset));
    }
}

/// <summary>
/// Writes a script's tokens again with seeded random separators: nothing where the two tokens
/// stay apart without a blank, else one of several runs of blanks, tabs, newlines (LF or CRLF)
/// and <c># comments</c>; also before the first token and after the last.
/// </summary>
public sealed class Respacer(int seed)
{
    private static readonly string[] Separators =
    [
        " ", "  ", "\t", "\t \t", "\n", "\n\n\t", "\r\n", " \r\n  ", " # a comment\n", "\t# comment; with \"quotes\" -P\n\t", "\n#\n",
    ];

    private readonly Random random = new(seed);

    public RespacedScript Respace(string script)
    {
        var tokens = ReferenceTokens.Tokenize(script);
        var text = new StringBuilder();
        var starts = new List<int>(tokens.Count);
        text.Append(Pick(allowNothing: true));
        for (var k = 0; k < tokens.Count; k++)
        {
            if (k > 0)
                text.Append(Pick(ReferenceTokens.CanGlue(tokens[k - 1], tokens[k])));
            starts.Add(text.Length);
            text.Append(tokens[k].Text);
        }
        text.Append(Pick(allowNothing: true));
        return new RespacedScript(text.ToString(), tokens, starts);
    }

    /// <summary>The tightest form: no blank wherever the tokens stay apart without one, else one space.</summary>
    public static RespacedScript Tight(string script) => Uniform(script, glue: true, " ");

    /// <summary>Every separator the same.</summary>
    public static RespacedScript Uniform(string script, bool glue, string separator)
    {
        var tokens = ReferenceTokens.Tokenize(script);
        var text = new StringBuilder();
        var starts = new List<int>(tokens.Count);
        for (var k = 0; k < tokens.Count; k++)
        {
            if (k > 0 && !(glue && ReferenceTokens.CanGlue(tokens[k - 1], tokens[k])))
                text.Append(separator);
            starts.Add(text.Length);
            text.Append(tokens[k].Text);
        }
        return new RespacedScript(text.ToString(), tokens, starts);
    }

    private string Pick(bool allowNothing) =>
        allowNothing && random.Next(3) == 0 ? "" : Separators[random.Next(Separators.Length)];
}
