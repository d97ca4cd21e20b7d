using System.Globalization;
using System.Net;
using KernelIpsec.Ike.Config;
using Sprache;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// racoon.conf's lexical level (cftoken.l) as Sprache parsers. One token discipline: every token
/// parser first skips blanks, tabs, line ends (`\r` included, so CRLF files read as LF ones) and `#`
/// comments, and a token that is not there fails at the position after those blanks without having
/// taken anything else; optional tails and lists (<see cref="ParserChoice.Opt{T}"/>,
/// <see cref="ParserChoice.OptMany{T}"/>) therefore stop there instead of reporting the skipped blank as
/// consumed input. Two words need a blank between them; punctuation (`; { } , [port] /plen`) needs none,
/// and neither does a time unit after its number (`2min`, as racoon's lexer reads it). Numbers are decimal only, strings
/// are `"..."` without escapes, addresses are numeric (racoon resolves no host names here).
/// Failures carry either an expectation ("';'") or, for a value that is recognised but wrong, a full
/// message with no expectation; <see cref="RacoonConfParser"/> turns both into FILE:LINE:COL errors.
/// </summary>
internal sealed partial class ConfTokens(string file)
{
    public string File { get; } = file;

    public static IInput SkipBlanks(IInput input)
    {
        while (!input.AtEnd)
        {
            if (char.IsWhiteSpace(input.Current))
            {
                input = input.Advance();
            }
            else if (input.Current == '#')
            {
                while (!input.AtEnd && input.Current != '\n')
                    input = input.Advance();
            }
            else
            {
                break;
            }
        }
        return input;
    }

    public SourceLocation At(IInput input) => new(File, input.Line, input.Column);

    public static IResult<T> Expected<T>(IInput at, string what) =>
        Result.Failure<T>(at, $"unexpected {Describe(at)}", [what]);

    public static IResult<T> Fail<T>(IInput at, string message) => Result.Failure<T>(at, message, []);

    /// <summary>
    /// The token at <paramref name="input"/>, for "unexpected ..." messages: up to the next blank or
    /// punctuation, so `foo,3des` and `foo , 3des` both describe `foo` (as racoon quotes one token).
    /// </summary>
    public static string Describe(IInput input)
    {
        if (input.AtEnd)
            return "end of file";
        var text = input.Current == '['
            ? ReadWhile(input, c => !char.IsWhiteSpace(c) && c is not (';' or '{' or '}' or '"' or ',' or '#'), out _)
            : ReadWhile(input, c => !char.IsWhiteSpace(c) && c is not (';' or '{' or '}' or '"' or ',' or '#' or '['), out _);
        if (input.Current == '[' && text.IndexOf(']') is var close && close > 0)
            text = text[..(close + 1)];
        if (text.Length == 0)
            text = input.Current.ToString();
        if (text.Length > 40)
            text = text[..40] + "...";
        return $"'{text}'";
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static string ReadWhile(IInput input, Func<char, bool> accept, out IInput rest)
    {
        var start = input.Position;
        while (!input.AtEnd && accept(input.Current))
            input = input.Advance();
        rest = input;
        return input.Source[start..input.Position];
    }

    /// <summary>The location of the next token (after blanks), consuming nothing but blanks.</summary>
    public Parser<SourceLocation> Here => input =>
    {
        var at = SkipBlanks(input);
        return Result.Success(At(at), at);
    };

    /// <summary>A word: letters, digits, `_` and `-` (keywords, algorithm names, `3des`, `utf-16le`).</summary>
    public Parser<string> Word(string what) => input =>
    {
        var at = SkipBlanks(input);
        var word = ReadWhile(at, IsWordChar, out var rest);
        return word.Length == 0 ? Expected<string>(at, what) : Result.Success(word, rest);
    };

    /// <summary>Exactly the keyword <paramref name="keyword"/> (case-sensitive, as racoon's lexer).</summary>
    public Parser<string> Keyword(string keyword) => input =>
    {
        var at = SkipBlanks(input);
        var word = ReadWhile(at, IsWordChar, out var rest);
        return word == keyword ? Result.Success(word, rest) : Expected<string>(at, $"'{keyword}'");
    };

    /// <summary>One of a fixed set of words, mapped to values; <paramref name="what"/> names the set in errors.</summary>
    public Parser<T> Choice<T>(string what, IReadOnlyDictionary<string, T> words) => input =>
    {
        var at = SkipBlanks(input);
        var word = ReadWhile(at, IsWordChar, out var rest);
        return words.TryGetValue(word, out var value) ? Result.Success(value, rest) : Expected<T>(at, what);
    };

    public Parser<char> Symbol(char symbol) => input =>
    {
        var at = SkipBlanks(input);
        return !at.AtEnd && at.Current == symbol ? Result.Success(symbol, at.Advance()) : Expected<char>(at, $"'{symbol}'");
    };

    public Parser<char> EndOfStatement => Symbol(';');
    public Parser<char> OpenBlock => Symbol('{');
    public Parser<char> CloseBlock => Symbol('}');

    /// <summary>A decimal number; `0x...` and `yes`/`no` get racoon-specific explanations.</summary>
    public Parser<long> Number => input =>
    {
        var at = SkipBlanks(input);
        var word = ReadWhile(at, c => IsWordChar(c) || c == '.', out var rest);
        if (word.Length > 1 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X'))
            return Fail<long>(at, $"hex number '{word}' is not accepted here: racoon.conf numbers are decimal");
        if (word.Length == 0 || !word.All(char.IsAsciiDigit))
            return Expected<long>(at, "a decimal number");
        if (!long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > uint.MaxValue)
            return Fail<long>(at, $"number '{word}' is too large");
        return Result.Success(value, rest);
    };

    /// <summary>A number in [min, max]; outside the range the error names the range.</summary>
    public Parser<int> NumberIn(long min, long max, string what) => input =>
    {
        var at = SkipBlanks(input);
        var r = Number(input);
        if (!r.WasSuccessful)
            return Result.Failure<int>(r.Remainder, r.Message, r.Expectations);
        return r.Value < min || r.Value > max
            ? Fail<int>(at, $"{what} must be between {min} and {max}, not {r.Value}")
            : Result.Success((int)r.Value, r.Remainder);
    };

    /// <summary>`"..."` (no escapes, may span lines, as racoon's lexer).</summary>
    public Parser<string> QuotedString => input =>
    {
        var at = SkipBlanks(input);
        if (at.AtEnd || at.Current != '"')
            return Expected<string>(at, "a quoted string");
        var text = ReadWhile(at.Advance(), c => c != '"', out var rest);
        return rest.AtEnd ? Fail<string>(at, "unterminated string: missing closing '\"'") : Result.Success(text, rest.Advance());
    };

    /// <summary>`on` / `off`; `yes`/`no`/`true`/`false` are refused with the fix, as racoon does not know them either.</summary>
    public Parser<bool> Switch => input =>
    {
        var at = SkipBlanks(input);
        var word = ReadWhile(at, IsWordChar, out var rest);
        return word switch
        {
            "on" => Result.Success(true, rest),
            "off" => Result.Success(false, rest),
            "yes" or "no" or "true" or "false" => Fail<bool>(at, $"'{word}' is not a switch value: write 'on' or 'off'"),
            _ => Expected<bool>(at, "'on' or 'off'"),
        };
    };

    /// <summary>A numeric IPv4/IPv6 address (with an optional `%iface` scope), directly as written.</summary>
    public Parser<IPAddress> Address => input =>
    {
        var at = SkipBlanks(input);
        var text = ReadAddressText(at, out var rest);
        if (text.Length == 0)
            return Expected<IPAddress>(at, "an IP address");
        return IPAddress.TryParse(text, out var address)
            ? Result.Success(address, rest)
            : Fail<IPAddress>(at, $"'{text}' is not an IP address (racoon.conf takes numeric addresses, no host names)");
    };

    private static string ReadAddressText(IInput at, out IInput rest)
    {
        var text = ReadWhile(at, c => char.IsAsciiHexDigit(c) || c is ':' or '.', out rest);
        // A host name where an address belongs: report the whole name.
        if (text.Length == 0 && !at.AtEnd && char.IsAsciiLetter(at.Current))
            return ReadWhile(at, c => IsWordChar(c) || c is '.' or ':', out rest);
        if (text.Length > 0 && !rest.AtEnd && rest.Current == '%')
            text += "%" + ReadWhile(rest.Advance(), char.IsAsciiLetterOrDigit, out rest);
        // "10.0.0.1x" or "host.example" is not an address: report the whole word.
        if (text.Length > 0 && !rest.AtEnd && (char.IsAsciiLetter(rest.Current) || rest.Current == '_'))
            text += ReadWhile(rest, c => IsWordChar(c) || c is '.' or ':', out rest);
        return text;
    }

    /// <summary>`[500]`: a port in brackets (blanks allowed before it, not inside).</summary>
    public Parser<int> Port => input =>
    {
        var at = SkipBlanks(input);
        if (at.AtEnd || at.Current != '[')
            return Expected<int>(at, "'[port]'");
        var digits = ReadWhile(at.Advance(), char.IsAsciiDigit, out var rest);
        if (digits.Length == 0 || rest.AtEnd || rest.Current != ']')
            return Fail<int>(at, "a port is written as [digits], e.g. [500]");
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            return Fail<int>(at, $"port {digits} is out of range (0-65535)");
        return Result.Success(port, rest.Advance());
    };

    /// <summary>`[any]` (sainfo ids).</summary>
    public Parser<int> PortAny => input =>
    {
        var at = SkipBlanks(input);
        const string text = "[any]";
        var rest = at;
        foreach (var c in text)
        {
            if (rest.AtEnd || rest.Current != c)
                return Expected<int>(at, "'[any]'");
            rest = rest.Advance();
        }
        return Result.Success(0, rest);
    };

    /// <summary>`/plen`, directly after an address.</summary>
    public Parser<int> Prefix => input =>
    {
        if (input.AtEnd || input.Current != '/')
            return Expected<int>(input, "'/prefixlen'");
        var digits = ReadWhile(input.Advance(), char.IsAsciiDigit, out var rest);
        if (digits.Length is 0 or > 3)
            return Fail<int>(input, "a prefix length is written /N with 1 to 3 digits");
        return Result.Success(int.Parse(digits, CultureInfo.InvariantCulture), rest);
    };

    /// <summary>`-addr` directly after an address (an address range).</summary>
    public Parser<IPAddress> RangeEnd => input =>
    {
        if (input.AtEnd || input.Current != '-')
            return Expected<IPAddress>(input, "'-address'");
        var start = input.Advance();
        var text = ReadAddressText(start, out var rest);
        return IPAddress.TryParse(text, out var address)
            ? Result.Success(address, rest)
            : Fail<IPAddress>(start, $"'{text}' is not an IP address (end of an address range)");
    };

    private static readonly Dictionary<string, int> TimeUnits = new()
    {
        ["sec"] = 1,
        ["secs"] = 1,
        ["second"] = 1,
        ["seconds"] = 1,
        ["min"] = 60,
        ["mins"] = 60,
        ["minute"] = 60,
        ["minutes"] = 60,
        ["hour"] = 3600,
        ["hours"] = 3600,
    };

    private static readonly Dictionary<string, long> ByteUnits = new()
    {
        ["B"] = 1,
        ["byte"] = 1,
        ["bytes"] = 1,
        ["KB"] = 1024,
        ["MB"] = 1024 * 1024,
        ["GB"] = 1024L * 1024 * 1024,
        ["TB"] = 1024L * 1024 * 1024 * 1024,
    };

    /// <summary>
    /// A number that may be glued to the unit after it (`2min`): racoon's lexer ends a number at the
    /// first non-digit, so `2min` is `2 min` there. Anything else glued to the digits is left to
    /// <see cref="Number"/>, which reports the whole word.
    /// </summary>
    private Parser<long> NumberBefore<TUnit>(IReadOnlyDictionary<string, TUnit> units) => input =>
    {
        var at = SkipBlanks(input);
        var digits = ReadWhile(at, char.IsAsciiDigit, out var unitStart);
        var unit = ReadWhile(unitStart, IsWordChar, out _);
        if (digits.Length == 0 || unit.Length == 0 || !units.ContainsKey(unit))
            return Number(input);
        var whole = Number(new Input(digits));
        return whole.WasSuccessful ? Result.Success(whole.Value, unitStart) : Fail<long>(at, whole.Message);
    };

    /// <summary>`N unit` with unit sec/secs/second/seconds, min/mins/minute/minutes, hour/hours.</summary>
    public Parser<TimeSpan> Duration =>
        from n in NumberBefore(TimeUnits)
        from unit in Choice("a time unit (sec, min, hour)", TimeUnits)
        select TimeSpan.FromSeconds(n * unit);

    /// <summary>`N unit` with unit B/byte/bytes, KB, MB, GB, TB.</summary>
    public Parser<long> ByteCount =>
        from n in NumberBefore(ByteUnits)
        from unit in Choice("a byte unit (B, KB, MB, GB)", ByteUnits)
        select n * unit;
}

internal static class ConfTokensBlocks
{
    /// <summary>
    /// The next word selects the parser for the rest of the statement; an unknown word is an error at
    /// its own position naming the section (`unknown directive 'foo' in remote section`).
    /// </summary>
    public static Parser<T> Dispatch<T>(this ConfTokens tokens, string context, IReadOnlyDictionary<string, Func<SourceLocation, Parser<T>>> table) => input =>
    {
        var at = ConfTokens.SkipBlanks(input);
        var word = tokens.Word("a directive")(at);
        if (!word.WasSuccessful)
            return Result.Failure<T>(word.Remainder, word.Message, word.Expectations);
        if (!table.TryGetValue(word.Value, out var rest))
            return ConfTokens.Fail<T>(at, $"unknown directive '{word.Value}' in {context}");
        var result = rest(tokens.At(at))(word.Remainder);
        if (result.WasSuccessful)
            tokens.Wrote(context, word.Value, at, word.Remainder);
        return result;
    };

    /// <summary>`{ item* }`; an unclosed block names where it was opened.</summary>
    public static Parser<List<T>> Block<T>(this ConfTokens tokens, Parser<T> item) => input =>
    {
        var open = tokens.OpenBlock(input);
        if (!open.WasSuccessful)
            return Result.Failure<List<T>>(open.Remainder, open.Message, open.Expectations);
        var openedAt = tokens.At(ConfTokens.SkipBlanks(input));
        var items = new List<T>();
        var rest = open.Remainder;
        while (true)
        {
            var at = ConfTokens.SkipBlanks(rest);
            if (at.AtEnd)
                return ConfTokens.Fail<List<T>>(at, $"unexpected end of file: the block opened at line {openedAt.Line} column {openedAt.Column} has no closing '}}'");
            if (at.Current == '}')
                return Result.Success(items, at.Advance());
            var r = item(at);
            if (!r.WasSuccessful)
                return Result.Failure<List<T>>(r.Remainder, r.Message, r.Expectations);
            items.Add(r.Value);
            rest = r.Remainder;
        }
    };

    /// <summary>
    /// `item {, item}`. The list ends where the next token is not a `,` (blanks before it are not
    /// taken: `3des ;` ends the list at `;`); a `,` not followed by an item is an error at that item.
    /// </summary>
    public static Parser<List<T>> CommaList<T>(this ConfTokens tokens, Parser<T> item) =>
        from first in item
        from more in (from comma in tokens.Symbol(',') from next in item select next).OptMany()
        select new List<T> { first }.Concat(more).ToList();

    /// <summary>Fails with <paramref name="message"/> at the position where <paramref name="parser"/> started when <paramref name="check"/> returns a message.</summary>
    public static Parser<T> Check<T>(this Parser<T> parser, Func<T, string?> check) => input =>
    {
        var at = ConfTokens.SkipBlanks(input);
        var r = parser(input);
        if (!r.WasSuccessful)
            return r;
        var problem = check(r.Value);
        return problem is null ? r : ConfTokens.Fail<T>(at, problem);
    };
}

internal static class ParserExpectations
{
    /// <summary>When <paramref name="parser"/> fails on its very first token, say <paramref name="what"/> was expected.</summary>
    public static Parser<T> Expecting<T>(this Parser<T> parser, string what) => input =>
    {
        var at = ConfTokens.SkipBlanks(input);
        var r = parser(input);
        if (!r.WasSuccessful && r.Remainder.Position == at.Position && r.Message.StartsWith("unexpected", StringComparison.Ordinal))
            return ConfTokens.Expected<T>(at, what);
        return r;
    };
}

internal static class ParserChoice
{
    private static bool IsCustom<T>(IResult<T> r) => !r.Message.StartsWith("unexpected", StringComparison.Ordinal);

    /// <summary>
    /// Like Sprache's Or (the second alternative is tried when the first fails), but when both fail at
    /// the same place a specific message ("'yes' is not a switch value") wins over a merged "expected" list.
    /// </summary>
    public static Parser<T> OrElse<T>(this Parser<T> first, Parser<T> second) => input =>
    {
        var a = first(input);
        if (a.WasSuccessful)
            return a;
        var b = second(input);
        if (b.WasSuccessful)
            return b;
        if (a.Remainder.Position != b.Remainder.Position)
            return a.Remainder.Position > b.Remainder.Position ? a : b;
        if (IsCustom(a))
            return a;
        if (IsCustom(b))
            return b;
        return Result.Failure<T>(a.Remainder, a.Message, a.Expectations.Union(b.Expectations));
    };

    /// <summary>An optional token: absent when the next token is simply something else; a wrong value of the right shape is still an error.</summary>
    public static Parser<(bool Has, T Value)> Opt<T>(this Parser<T> parser) => input =>
    {
        var at = ConfTokens.SkipBlanks(input);
        var r = parser(input);
        if (r.WasSuccessful)
            return Result.Success((true, r.Value), r.Remainder);
        if (r.Remainder.Position > at.Position || IsCustom(r))
            return Result.Failure<(bool, T)>(r.Remainder, r.Message, r.Expectations);
        return Result.Success((false, default(T)!), input);
    };

    /// <summary>
    /// Zero or more <paramref name="parser"/>s, ending where the next token is simply something else
    /// (as <see cref="Opt{T}"/>): the blanks before that token are not taken, so the caller's next
    /// token parser sees them. One that fails after its first token, or with a specific message, is an error.
    /// </summary>
    public static Parser<List<T>> OptMany<T>(this Parser<T> parser) => input =>
    {
        var items = new List<T>();
        var rest = input;
        while (true)
        {
            var r = parser.Opt()(rest);
            if (!r.WasSuccessful)
                return Result.Failure<List<T>>(r.Remainder, r.Message, r.Expectations);
            if (!r.Value.Has)
                return Result.Success(items, rest);
            items.Add(r.Value.Value);
            rest = r.Remainder;
        }
    };
}
