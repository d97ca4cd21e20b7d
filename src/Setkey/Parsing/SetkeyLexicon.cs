using Sprache;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// The words of a setkey script (ipsec-tools <c>token.l</c>): every lexeme parser reads one
/// word and the blanks and <c>#</c> comments after it, so a failing parser always stands at the
/// start of the offending word. Words are classified the way flex's longest match and rule order
/// do it: <c>10</c> is a number, <c>0x10</c> a hex string, <c>add</c> a keyword, <c>10.0.0.1</c>,
/// <c>fe80::1%eth0</c> and <c>135,0</c> plain strings.
/// </summary>
internal static class SetkeyLexicon
{
    private static readonly System.Buffers.SearchValues<char> AddressFlagLetters = System.Buffers.SearchValues.Create("n46");

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Reserved everywhere outside the algorithm and policy sub-languages.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "add", "update", "delete", "deleteall", "get", "getspi", "flush", "dump", "exit", "quit", "bye",
        "spdadd", "spdupdate", "spddelete", "spddump", "spdflush", "tagged", "any",
        "ah", "esp", "ah-old", "esp-old", "esp-udp", "ipcomp", "tcp",
        "transport", "tunnel", "random-pad", "seq-pad", "zero-pad", "nocyclic-seq",
        "oui", "deflate", "lzs",
    };

    public static bool IsKeyword(string word) => Keywords.Contains(word);

    /// <summary>Blanks, newlines and <c>#</c> comments.</summary>
    public static readonly Parser<Unit> Trivia = i =>
    {
        var s = i.Source;
        var p = i.Position;
        var rest = i;
        while (p < s.Length)
        {
            var c = s[p];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                rest = rest.Advance();
                p++;
            }
            else if (c == '#')
            {
                while (p < s.Length && s[p] != '\n')
                {
                    rest = rest.Advance();
                    p++;
                }
            }
            else
            {
                break;
            }
        }
        return Result.Success(Unit.Value, rest);
    };

    /// <summary>A word in the sense of token.l's STRING/DECSTRING/HEXSTRING/keyword rules.</summary>
    public static readonly Parser<Lexeme> AnyWord = Lexeme(WordLength, "a word");

    public static Parser<Lexeme> Keyword(string keyword) =>
        AnyWord.Where(w => w.Text == keyword).Named($"`{keyword}'");

    public static Parser<Lexeme> KeywordOf(string description, params string[] keywords) =>
        AnyWord.Where(w => Array.IndexOf(keywords, w.Text) >= 0).Named(description);

    /// <summary>DECSTRING: <c>[0-9]+</c>.</summary>
    public static readonly Parser<Lexeme> DecimalNumber = AnyWord.Where(w => IsDecimal(w.Text)).Named("a decimal number");

    /// <summary>HEXSTRING: <c>0x</c> followed by hex digits.</summary>
    public static readonly Parser<Lexeme> Hex = AnyWord.Where(w => IsHex(w.Text)).Named("a hex number (0x…)");

    /// <summary>STRING: a word that is neither keyword nor number.</summary>
    public static Parser<Lexeme> PlainString(string description) =>
        AnyWord.Where(w => !IsKeyword(w.Text) && !IsDecimal(w.Text) && !IsHex(w.Text)).Named(description);

    /// <summary>QUOTEDSTRING: <c>"…"</c>, no escapes, may span lines; the lexeme keeps its quotes.</summary>
    public static readonly Parser<Lexeme> Quoted = Lexeme(QuotedLength, "a quoted string");

    /// <summary>An option word such as <c>-m</c>, <c>-lh</c>, <c>-ctx</c>.</summary>
    public static Parser<Lexeme> Option(string name) =>
        Lexeme(OptionLength, "an option").Where(o => o.Text.AsSpan(1).SequenceEqual(name)).Named($"`-{name}'");

    /// <summary>Address flags <c>-4</c>, <c>-6</c>, <c>-n</c> and combinations such as <c>-6n</c>.</summary>
    public static readonly Parser<Lexeme> AddressFlag =
        Lexeme(OptionLength, "an option").Where(o => o.Text.Length > 1 && o.Text.AsSpan(1).IndexOfAnyExcept(AddressFlagLetters) < 0).Named("`-4', `-6' or `-n'");

    public static Parser<Lexeme> Punctuation(char c) => Lexeme(
        (s, p) => p < s.Length && s[p] == c ? 1 : 0, $"`{c}'");

    public static readonly Parser<Lexeme> Semicolon = Punctuation(';');

    public static bool IsDecimal(string text) => text.Length > 0 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    public static bool IsHex(string text) =>
        text.Length > 2 && text[0] == '0' && (text[1] | 0x20) == 'x' && text.AsSpan(2).IndexOfAnyExcept(HexDigits) < 0;

    /// <summary>
    /// The word standing at <paramref name="position"/> as the lexer would cut it, for
    /// "syntax error at `word'" messages.
    /// </summary>
    public static string WordAt(string source, int position)
    {
        if (position >= source.Length)
            return "end of file";
        var length = Math.Max(Math.Max(WordLength(source, position), QuotedLength(source, position)), OptionLength(source, position));
        return source.Substring(position, Math.Max(length, 1));
    }

    /// <summary>Builds a lexeme parser from a function giving the length of the match at a position (0 = none).</summary>
    public static Parser<Lexeme> Lexeme(Func<string, int, int> lengthAt, string description) => i =>
    {
        var length = lengthAt(i.Source, i.Position);
        if (length == 0)
            return Result.Failure<Lexeme>(i, $"unexpected {WordAt(i.Source, i.Position)}", new[] { description });
        var start = ScriptInput.PositionOf(i);
        var text = i.Source.Substring(i.Position, length);
        var rest = i;
        for (var k = 0; k < length; k++)
            rest = rest.Advance();
        return Result.Success(new Lexeme(text, start), Trivia(rest).Remainder);
    };

    private static bool IsStringStart(char c) => char.IsAsciiLetterOrDigit(c) || c == ':';

    private static bool IsStringPart(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '%' or '.' or '-';

    /// <summary>Longest of <c>[A-Za-z0-9:][A-Za-z0-9:%.-]*</c> and <c>[0-9,]+</c>.</summary>
    private static int WordLength(string s, int p)
    {
        var a = 0;
        if (p < s.Length && IsStringStart(s[p]))
        {
            a = 1;
            while (p + a < s.Length && IsStringPart(s[p + a]))
                a++;
        }
        var b = 0;
        while (p + b < s.Length && (char.IsAsciiDigit(s[p + b]) || s[p + b] == ','))
            b++;
        return Math.Max(a, b);
    }

    private static int QuotedLength(string s, int p)
    {
        if (p >= s.Length || s[p] != '"')
            return 0;
        var close = s.IndexOf('"', p + 1);
        return close < 0 ? 0 : close - p + 1;
    }

    private static int OptionLength(string s, int p)
    {
        if (p >= s.Length || s[p] != '-')
            return 0;
        var n = 1;
        while (p + n < s.Length && char.IsAsciiLetterOrDigit(s[p + n]))
            n++;
        return n == 1 ? 0 : n;
    }
}
