namespace KernelIpsec.Tests.Setkey.Respacing;

/// <summary>One token of a setkey script: its text, where it starts, and whether it is inside a policy (after <c>-P</c>).</summary>
public sealed record ReferenceToken(string Text, int Start, bool InPolicy);

/// <summary>
/// The tokens of a setkey script as ipsec-tools cuts them, written from its lexers' rules for the
/// property tests (not shared with the implementation): setkey's <c>token.l</c> outside policies
/// (keywords and addresses are one STRING class, options are a fixed list taken by longest match,
/// <c>-[n46]+</c> address flags, quoted strings, <c>; / [ ]</c>), and libipsec's
/// <c>policy_token.l</c> from <c>-P</c> to the <c>;</c> (words of <c>[a-zA-Z0-9:._]</c> with a
/// <c>%scope</c>, <c>[N]</c> ports, <c>- + /</c>). Blanks, newlines and <c>#</c> comments separate
/// tokens and are dropped. A character no rule takes is a token of its own (a dash with letters
/// after it is kept whole: that is the word an "unknown option" message shows).
/// </summary>
public static class ReferenceTokens
{
    private static readonly string[] Options = ["ctx", "lh", "ls", "bh", "bs", "P", "A", "E", "C", "R", "m", "u", "f", "r"];

    public static List<ReferenceToken> Tokenize(string text, bool startInPolicy = false)
    {
        var tokens = new List<ReferenceToken>();
        var inPolicy = startInPolicy;
        var p = 0;
        while (p < text.Length)
        {
            var c = text[p];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                p++;
                continue;
            }
            if (c == '#')
            {
                var end = text.IndexOf('\n', p);
                p = end < 0 ? text.Length : end;
                continue;
            }
            var length = inPolicy ? PolicyTokenLength(text, p) : ScriptTokenLength(text, p);
            var token = text.Substring(p, length);
            tokens.Add(new ReferenceToken(token, p, inPolicy));
            if (token == ";")
                inPolicy = false;
            else if (!inPolicy && token == "-P")
                inPolicy = true;
            p += length;
        }
        return tokens;
    }

    private static int ScriptTokenLength(string s, int p)
    {
        var c = s[p];
        if (c == '"')
        {
            var close = s.IndexOf('"', p + 1);
            return close < 0 ? 1 : close - p + 1;
        }
        if (c == '-')
        {
            if (p + 1 < s.Length && s[p + 1] is 'n' or '4' or '6')
                return 1 + Run(s, p + 1, ch => ch is 'n' or '4' or '6');
            foreach (var option in Options)
            {
                if (string.CompareOrdinal(s, p + 1, option, 0, option.Length) == 0)
                    return 1 + option.Length;
            }

            return 1 + Run(s, p + 1, char.IsAsciiLetterOrDigit);
        }
        var word = char.IsAsciiLetterOrDigit(c) || c == ':' ? 1 + Run(s, p + 1, ch => char.IsAsciiLetterOrDigit(ch) || ch is ':' or '%' or '.' or '-') : 0;
        var numbers = Run(s, p, ch => char.IsAsciiDigit(ch) || ch == ',');
        return Math.Max(1, Math.Max(word, numbers));
    }

    private static int PolicyTokenLength(string s, int p)
    {
        var c = s[p];
        if (c == '[')
        {
            var digits = Run(s, p + 1, char.IsAsciiDigit);
            return digits > 0 && p + 1 + digits < s.Length && s[p + 1 + digits] == ']' ? digits + 2 : 1;
        }
        var word = Run(s, p, ch => char.IsAsciiLetterOrDigit(ch) || ch is ':' or '.' or '_');
        if (word == 0)
            return 1;
        if (p + word < s.Length && s[p + word] == '%')
        {
            var scope = Run(s, p + word + 1, char.IsAsciiLetterOrDigit);
            if (scope > 0)
                word += 1 + scope;
        }
        return word;
    }

    private static int Run(string s, int p, Func<char, bool> part)
    {
        var n = 0;
        while (p + n < s.Length && part(s[p + n]))
            n++;
        return n;
    }

    /// <summary>True when the two tokens, written with nothing between them, are still read as these two tokens.</summary>
    public static bool CanGlue(ReferenceToken left, ReferenceToken right)
    {
        var glued = Tokenize(left.Text + right.Text, left.InPolicy);
        return glued.Count == 2 && glued[0].Text == left.Text && glued[1].Text == right.Text;
    }
}
