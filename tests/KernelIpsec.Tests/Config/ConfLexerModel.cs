using System.Text;

namespace KernelIpsec.Tests.Config;

/// <summary>One token of racoon.conf as <see cref="ConfLexerModel"/> sees it: its text and where it starts.</summary>
internal sealed record ConfToken(string Text, int Offset);

/// <summary>
/// A deliberately small model of racoon's lexer (cftoken.l), written for the tests: blanks, tabs, line
/// ends and `#` comments separate tokens; `"..."` (to the next quote, or to the end of the file when
/// unterminated), `; { } ,`, `[...]`, `/digits` and `-address` (an address range's end) are tokens of
/// their own; everything else runs as a word until one of those or a blank. It only needs to know where
/// tokens start and end, so that a config can be re-spaced between them.
/// </summary>
internal static class ConfLexerModel
{
    private static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static bool EndsWord(char c) => IsBlank(c) || c is ';' or '{' or '}' or ',' or '"' or '#' or '[';

    /// <summary>`/24` after an address: a token of its own (a `/` in an unquoted path is not).</summary>
    private static bool IsPrefix(string text, int i) => text[i] == '/' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);

    public static List<ConfToken> Tokenize(string text)
    {
        var tokens = new List<ConfToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsBlank(c))
            {
                i++;
                continue;
            }
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                    i++;
                continue;
            }
            var start = i;
            if (c == '"')
            {
                var close = text.IndexOf('"', i + 1);
                i = close < 0 ? text.Length : close + 1;
            }
            else if (c is ';' or '{' or '}' or ',')
            {
                i++;
            }
            else if (c == '[')
            {
                while (i < text.Length && !IsBlank(text[i]) && text[i] != ']')
                    i++;
                if (i < text.Length && text[i] == ']')
                    i++;
            }
            else if (IsPrefix(text, i))
            {
                i++;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                    i++;
            }
            else
            {
                i++;
                while (i < text.Length && !EndsWord(text[i]) && !IsPrefix(text, i))
                    i++;
                var word = text[start..i];
                var dash = word.IndexOf('-', 1);
                // 10.1.0.1-10.1.0.9: the range end is a token of its own (blanks may stand before the '-').
                if (dash > 0 && IsAddressLike(word[..dash]) && IsAddressLike(word[(dash + 1)..]))
                {
                    tokens.Add(new ConfToken(word[..dash], start));
                    tokens.Add(new ConfToken(word[dash..], start + dash));
                    continue;
                }
            }
            tokens.Add(new ConfToken(text[start..i], start));
        }
        return tokens;
    }

    private static bool IsAddressLike(string s) =>
        s.Length > 0 && (s.Contains('.') || s.Contains(':')) && s.All(ch => char.IsAsciiHexDigit(ch) || ch is '.' or ':');

    private static bool IsWordish(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '%';

    /// <summary>Whether racoon.conf needs a blank between <paramref name="left"/> and <paramref name="right"/> (two words would run together).</summary>
    public static bool NeedsBlank(ConfToken left, ConfToken right) =>
        IsWordish(left.Text[^1]) && IsWordish(right.Text[0]) && right.Text[0] != '-' && left.Text[0] != '"';

    /// <summary>The separators a re-spaced file may use between two tokens; index 0 is "nothing".</summary>
    public static readonly string[] Separators =
    [
        "",
        " ",
        "    ",
        "\t",
        " \t \t",
        "\n",
        "\n\n\t\t",
        "\r\n",
        " # a comment with ; { } , \" [500] in it\n",
        "\t#\n  ",
        "\n# a whole comment line\n\n",
        " \r\n\t# CRLF comment\r\n ",
    ];

    /// <summary>
    /// <paramref name="tokens"/> laid out again, with <paramref name="separator"/>(i) between token i-1
    /// and i (i = 0 before the first, i = Count after the last); the new offset of every token is returned.
    /// A separator that would glue two words is widened to a blank.
    /// </summary>
    public static (string Text, int[] Offsets) Layout(IReadOnlyList<ConfToken> tokens, Func<int, string> separator)
    {
        var text = new StringBuilder();
        var offsets = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            var sep = separator(i);
            if (sep.Length == 0 && i > 0 && NeedsBlank(tokens[i - 1], tokens[i]))
                sep = " ";
            // An unterminated string runs to the end of the file: nothing may follow it.
            text.Append(sep);
            offsets[i] = text.Length;
            text.Append(tokens[i].Text);
        }
        var last = tokens.Count > 0 && tokens[^1].Text is ['"', ..] && (tokens[^1].Text.Length == 1 || tokens[^1].Text[^1] != '"');
        if (!last)
        {
            var tail = separator(tokens.Count);
            // A comment at the very end of a file, without its line end, is still a comment.
            text.Append(tail.EndsWith('\n') ? tail.TrimEnd('\n', '\r') : tail);
        }
        return (text.ToString(), offsets);
    }

    /// <summary>1-based line and column of each of <paramref name="offsets"/> (ascending), counted as the parser counts (a tab is one column).</summary>
    public static (int Line, int Column)[] Positions(string text, IReadOnlyList<int> offsets)
    {
        var result = new (int, int)[offsets.Count];
        var line = 1;
        var lineStart = 0;
        var at = 0;
        for (var k = 0; k < offsets.Count; k++)
        {
            for (; at < offsets[k] && at < text.Length; at++)
            {
                if (text[at] == '\n')
                {
                    line++;
                    lineStart = at + 1;
                }
            }
            result[k] = (line, offsets[k] - lineStart + 1);
        }
        return result;
    }
}
