using KernelIpsec.Setkey.Parsing.Ast;
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
        var length = TriviaLength(i.Source, i.Position);
        return Result.Success(Unit.Value, length == 0 ? i : Advance(i, length));
    };

    /// <summary>A word in the sense of token.l's STRING/DECSTRING/HEXSTRING/keyword rules.</summary>
    public static readonly Parser<Lexeme> AnyWord = Lexeme(WordLength, "a word");

    public static Parser<Lexeme> Keyword(string keyword) =>
        AnyWord.Accepting(w => w == keyword, $"`{keyword}'");

    public static Parser<Lexeme> KeywordOf(string description, params string[] keywords) =>
        AnyWord.Accepting(w => Array.IndexOf(keywords, w) >= 0, description);

    /// <summary>DECSTRING: <c>[0-9]+</c>.</summary>
    public static readonly Parser<Lexeme> DecimalNumber = AnyWord.Accepting(IsDecimal, "a decimal number");

    /// <summary>HEXSTRING: <c>0x</c> followed by hex digits.</summary>
    public static readonly Parser<Lexeme> Hex = AnyWord.Accepting(IsHex, "a hex number (0x…)");

    /// <summary>STRING: a word that is neither keyword nor number.</summary>
    public static Parser<Lexeme> PlainString(string description) =>
        AnyWord.Accepting(w => !IsKeyword(w) && !IsDecimal(w) && !IsHex(w), description);

    /// <summary>QUOTEDSTRING: <c>"…"</c>, no escapes, may span lines; the lexeme keeps its quotes.</summary>
    public static readonly Parser<Lexeme> Quoted = Lexeme(QuotedLength, "a quoted string");

    /// <summary>Any option word (<c>-m</c>, <c>-lh</c>, <c>-4n</c>), cut as token.l cuts it.</summary>
    public static readonly Parser<Lexeme> OptionWord = Lexeme(OptionLength, "an option");

    /// <summary>An option word such as <c>-m</c>, <c>-lh</c>, <c>-ctx</c>.</summary>
    public static Parser<Lexeme> Option(string name) =>
        OptionWord.Accepting(o => o.AsSpan(1).SequenceEqual(name), $"`-{name}'");

    /// <summary>Address flags <c>-4</c>, <c>-6</c>, <c>-n</c> and combinations such as <c>-6n</c>.</summary>
    public static readonly Parser<Lexeme> AddressFlag =
        OptionWord.Accepting(o => o.Length > 1 && o.AsSpan(1).IndexOfAnyExcept(AddressFlagLetters) < 0, "`-4', `-6' or `-n'");

    public static Parser<Lexeme> Punctuation(char c) => Lexeme(
        (s, p) => p < s.Length && s[p] == c ? 1 : 0, $"`{c}'");

    public static readonly Parser<Lexeme> Semicolon = Punctuation(';');

    /// <summary>
    /// The words of <paramref name="word"/> that <paramref name="accept"/> takes; any other word, or
    /// none, fails where the word starts and expects <paramref name="description"/>. (Sprache's
    /// <c>Where(…).Named(…)</c>, without formatting a message for every word it turns down.)
    /// </summary>
    public static Parser<Lexeme> Accepting(this Parser<Lexeme> word, Func<string, bool> accept, string description)
    {
        var expected = new[] { description };
        return i =>
        {
            var read = word(i);
            return read.WasSuccessful && accept(read.Value.Text) ? read : Result.Failure<Lexeme>(i, NotThisWord, expected);
        };
    }

    private const string NotThisWord = "unexpected word";

    /// <summary>
    /// One of several forms that each begin with their own word (a statement keyword, an option),
    /// picked by the word at the input, so the input is read once rather than tried against every
    /// form. Means the same as the forms joined with <c>Or</c>: another word fails where it stands,
    /// expecting any of the forms' words.
    /// </summary>
    public static Parser<T> PickedBy<T>(this Parser<Lexeme> word, params (string Word, Parser<T> Form)[] forms)
    {
        var byWord = forms.ToDictionary(f => f.Word, f => f.Form, StringComparer.Ordinal);
        var expected = forms.Select(f => $"`{f.Word}'").ToArray();
        return i =>
        {
            var read = word(i);
            return read.WasSuccessful && byWord.TryGetValue(read.Value.Text, out var form)
                ? form(i)
                : Result.Failure<T>(i, NotThisWord, expected);
        };
    }

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
        var option = OptionLength(source, position);
        var length = option > 0 ? option : Math.Max(Math.Max(WordLength(source, position), QuotedLength(source, position)), DashWordLength(source, position));
        return source.Substring(position, Math.Max(length, 1));
    }

    /// <summary>
    /// Builds a lexeme parser from a function giving the length of the match at a position (0 = none).
    /// The lexeme takes the blanks and comments after it along, in one step; what it read is kept on
    /// the input so that the next parser asking the same lexer there does not read it again.
    /// </summary>
    public static Parser<Lexeme> Lexeme(Func<string, int, int> lengthAt, string description)
    {
        var expected = new[] { description };
        return i =>
        {
            if (i is ScriptInput script && script.CachedWord(expected) is { } cached)
                return cached;
            var source = i.Source;
            var length = lengthAt(source, i.Position);
            var result = length == 0
                ? Result.Failure<Lexeme>(i, NotThisWord, expected)
                : Result.Success(
                    new Lexeme(WordText(source.AsSpan(i.Position, length)), ScriptInput.PositionOf(i)),
                    Advance(i, length + TriviaLength(source, i.Position + length)));
            (i as ScriptInput)?.CacheWord(expected, result);
            return result;
        };
    }

    private static IInput Advance(IInput input, int count)
    {
        if (input is ScriptInput script)
            return script.AdvanceBy(count);
        for (var k = 0; k < count; k++)
            input = input.Advance();
        return input;
    }

    /// <summary>Blanks, newlines and <c>#</c> comments from <paramref name="p"/> on.</summary>
    private static int TriviaLength(string s, int p)
    {
        var start = p;
        while (p < s.Length)
        {
            var c = s[p];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                p++;
            }
            else if (c == '#')
            {
                var newline = s.AsSpan(p).IndexOf('\n');
                p = newline < 0 ? s.Length : p + newline;
            }
            else
            {
                break;
            }
        }
        return p - start;
    }

    /// <summary>The words every script repeats, shared instead of copied for each lexeme.</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> CommonWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "add", "update", "delete", "deleteall", "get", "getspi", "flush", "dump", "exit", "quit", "bye",
        "spdadd", "spdupdate", "spddelete", "spddump", "spdflush", "tagged", "any",
        "ah", "esp", "ah-old", "esp-old", "esp-udp", "ipcomp", "tcp", "udp", "icmp", "icmp6", "ipv6-icmp", "gre",
        "transport", "tunnel", "random-pad", "seq-pad", "zero-pad", "nocyclic-seq", "deflate",
        "-E", "-A", "-C", "-R", "-P", "-m", "-r", "-u", "-f", "-lh", "-ls", "-bh", "-bs", "-ctx", "-4", "-6", "-n",
        "in", "out", "fwd", "prio", "priority", "low", "def", "high", "discard", "none", "ipsec", "entrust", "bypass",
        "default", "use", "require", "unique", "/", "[", "]", "-", "+", ";",
        "des-cbc", "3des-cbc", "aes-cbc", "rijndael-cbc", "aes-ctr", "aes-gcm-16", "null", "simple",
        "hmac-md5", "hmac-sha1", "hmac-sha256", "hmac-sha384", "hmac-sha512",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    private static string WordText(ReadOnlySpan<char> text) =>
        CommonWords.TryGetValue(text, out var common) ? common : text.ToString();

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

    /// <summary>The options token.l knows, longest first: flex takes the longest rule that matches.</summary>
    private static readonly string[] OptionNames = ["ctx", "lh", "ls", "bh", "bs", "P", "A", "E", "C", "R", "m", "u", "f", "r"];

    /// <summary>
    /// An option as token.l cuts it: <c>-[n46]+</c> or one of the option names, and no more, so
    /// what follows glued (<c>-Pout</c>, <c>-Eaes-cbc</c>, <c>-lh3600</c>, <c>-410.9.9.1</c>) is the
    /// next word. A dash that starts no option is no word (token.l: "Syntax error").
    /// </summary>
    private static int OptionLength(string s, int p)
    {
        if (p + 1 >= s.Length || s[p] != '-')
            return 0;
        if (AddressFlagLetters.Contains(s[p + 1]))
        {
            var n = 2;
            while (p + n < s.Length && AddressFlagLetters.Contains(s[p + n]))
                n++;
            return n;
        }
        var rest = s.AsSpan(p + 1);
        foreach (var name in OptionNames)
        {
            if (rest.StartsWith(name, StringComparison.Ordinal))
                return 1 + name.Length;
        }

        return 0;
    }

    /// <summary>A dash and the letters and digits after it: how an unknown option is shown in a message.</summary>
    private static int DashWordLength(string s, int p)
    {
        if (p >= s.Length || s[p] != '-')
            return 0;
        var n = 1;
        while (p + n < s.Length && char.IsAsciiLetterOrDigit(s[p + n]))
            n++;
        return n;
    }
}
