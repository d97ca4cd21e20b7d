using KernelIpsec.Setkey.Parsing.Ast;
using Sprache;
using static KernelIpsec.Setkey.Parsing.Combinators;
using static KernelIpsec.Setkey.Parsing.SetkeyLexicon;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// The policy language after <c>-P</c> (libipsec <c>policy_token.l</c>/<c>policy_parse.y</c>):
/// <c>in|out|fwd [[prio …] discard|none|ipsec|entrust|bypass [proto/mode/[A-B]/[level] …]]</c>.
/// Its words differ from the script's: addresses may contain <c>_</c>, and <c>-</c> separates
/// tunnel endpoints.
/// </summary>
internal static class PolicyGrammar
{
    private static readonly Parser<Lexeme> Word = Lexeme(PolicyWordLength, "a policy word");

    private static Parser<Lexeme> Word1(string description, params string[] words) =>
        Word.Accepting(w => Array.IndexOf(words, w) >= 0, description);

    private static readonly Parser<Lexeme> Number = Word.Accepting(IsDecimal, "a decimal number");

    private static readonly Parser<Lexeme> Slash = Punctuation('/');

    private static readonly Parser<Lexeme> Minus = Punctuation('-');

    private static readonly Parser<(Lexeme Sign, Lexeme Number)?> OptionalSignedOffset =
        Sequence(Punctuation('+').Or(Minus), Number, (sign, n) => ((Lexeme, Lexeme)?)(sign, n)).XOptional().Select(o => o.GetOrDefault());

    /// <summary>The part after <c>prio</c>: <c>N</c>, <c>-N</c>, <c>base</c>, <c>base +N</c>, <c>base -N</c>.</summary>
    private static readonly Parser<Func<Lexeme, PrioritySpec>> PriorityValue =
        Sequence(Word1("a priority base", "low", "def", "high"), OptionalSignedOffset,
                (@base, offset) => (Func<Lexeme, PrioritySpec>)(keyword => new PrioritySpec(keyword, @base, offset?.Sign, offset?.Number)))
            .Or(Sequence(Minus, Number, (sign, n) => (Func<Lexeme, PrioritySpec>)(keyword => new PrioritySpec(keyword, null, sign, n))))
            .Or(Number.Select(n => (Func<Lexeme, PrioritySpec>)(keyword => new PrioritySpec(keyword, null, null, n))))
            .Named("a priority (low, def, high, a number, or base +/- number)");

    private static readonly Parser<PrioritySpec> Priority =
        Sequence(Word1("`prio' or `priority'", "prio", "priority"), PriorityValue, (keyword, spec) => spec(keyword));

    private static readonly Parser<Lexeme> Action =
        Word1("an action (discard, none, ipsec, entrust or bypass)", "discard", "none", "ipsec", "entrust", "bypass");

    /// <summary>
    /// <c>[N]</c> after a tunnel endpoint: one word of policy_token.l (<c>{blcl}{decstring}{elcl}</c>), so
    /// no blank inside the brackets; the lexeme is the number, where it stands.
    /// </summary>
    private static readonly Parser<Lexeme?> OptionalPort = PortOrNothing(Lexeme(PortLength, "a port ([number])"));

    /// <summary>A <c>[</c> that does not start a port word is an error there, not the end of the endpoint.</summary>
    private static Parser<Lexeme?> PortOrNothing(Parser<Lexeme> port)
    {
        string[] expected = ["a port ([number], no blank inside the brackets)"];
        return i =>
        {
            var r = port(i);
            if (r.WasSuccessful)
                return Result.Success<Lexeme?>(new Lexeme(r.Value.Text[1..^1], r.Value.Position with { Column = r.Value.Position.Column + 1 }), r.Remainder);
            return !i.AtEnd && i.Current == '['
                ? Result.Failure<Lexeme?>(i, "bad port", expected)
                : Result.Success<Lexeme?>(null, i);
        };
    }

    private static readonly Parser<Lexeme> EndpointAddress =
        Word.Accepting(w => !IsPolicyKeyword(w) || w is "me" or "any", "an address");

    private static readonly Parser<PolicyEndpoints?> OptionalEndpoints =
        Sequence(EndpointAddress, OptionalPort, Minus, EndpointAddress, OptionalPort,
            (src, srcPort, _, dst, dstPort) => new PolicyEndpoints(src, srcPort, dst, dstPort)).XOptionalOrNull();

    /// <summary><c>default</c>, <c>use</c>, <c>require</c>, <c>unique</c>, <c>unique:N</c>.</summary>
    private static readonly Parser<(Lexeme Level, Lexeme? Id)> Level =
        Word.Accepting(w => w is "default" or "use" or "require" or "unique" || IsUniqueWithId(w), "a level (default, use, require, unique or unique:N)")
            .Select(w => IsUniqueWithId(w.Text)
                ? (new Lexeme("unique", w.Position), (Lexeme?)new Lexeme(w.Text[7..], w.Position with { Column = w.Position.Column + 7 }))
                : (w, null));

    /// <summary>
    /// The level after the last slash, or nothing when the next request (or the end) follows;
    /// any other word there is reported as a bad level rather than as a missing <c>;</c>.
    /// </summary>
    private static readonly Parser<(Lexeme Level, Lexeme? Id)?> OptionalLevel = i =>
    {
        var level = Level(i);
        if (level.WasSuccessful)
            return Result.Success<(Lexeme, Lexeme?)?>(level.Value, level.Remainder);
        var next = Word(i);
        if (!next.WasSuccessful || next.Value.Text is "esp" or "ah" or "ipcomp")
            return Result.Success<(Lexeme, Lexeme?)?>(null, i);
        return Result.Failure<(Lexeme, Lexeme?)?>(level.Remainder, level.Message, level.Expectations);
    };

    /// <summary><c>/[level]</c>, or nothing.</summary>
    private static readonly Parser<(Lexeme Level, Lexeme? Id)?> OptionalSlashLevel =
        Sequence(Slash, OptionalLevel, (_, level) => level).XOptional().Select(o => o.GetOrDefault());

    /// <summary><c>/[A-B][/[level]]</c> after <c>proto/mode</c>, or nothing.</summary>
    private static readonly Parser<(PolicyEndpoints? Endpoints, (Lexeme Level, Lexeme? Id)? Level)> OptionalTail =
        Sequence(Slash, OptionalEndpoints, OptionalSlashLevel, (_, endpoints, level) => (endpoints, level)).XOptional().Select(o => o.GetOrDefault());

    private static readonly Parser<IEnumerable<PolicyRequestSpec>> Requests =
        Sequence(Word1("a protocol (esp, ah or ipcomp)", "esp", "ah", "ipcomp"), Slash, Word1("a mode (transport or tunnel)", "transport", "tunnel"), OptionalTail,
            (protocol, _, mode, tail) => new PolicyRequestSpec(protocol, mode, tail.Endpoints, tail.Level?.Level, tail.Level?.Id)).XMany();

    /// <summary>What follows the direction when there is more than the direction: <c>[priority] action [requests]</c>.</summary>
    private static readonly Parser<(PrioritySpec? Priority, Lexeme Action, IEnumerable<PolicyRequestSpec> Requests)> Body =
        Sequence(Priority, Action, Requests, (priority, action, requests) => ((PrioritySpec?)priority, action, requests))
            .Or(Sequence(Action, Requests, (action, requests) => ((PrioritySpec?)null, action, requests)));

    /// <summary>
    /// The body, or nothing when the <c>;</c> follows the direction (policy_parse.y: <c>DIR</c> alone,
    /// the spddelete form). A priority or a request needs an action before it is complete
    /// (<c>out prio 5;</c> and <c>out esp/transport//require;</c> are syntax errors there); anything
    /// else after the direction fails where it stands, expecting the body's first words or the <c>;</c>.
    /// </summary>
    private static readonly Parser<(PrioritySpec? Priority, Lexeme Action, IEnumerable<PolicyRequestSpec> Requests)?> OptionalBody = i =>
    {
        var body = Body(i);
        if (body.WasSuccessful)
            return Result.Success<(PrioritySpec?, Lexeme, IEnumerable<PolicyRequestSpec>)?>(body.Value, body.Remainder);
        if (!body.Remainder.Equals(i))
            return Failed<(PrioritySpec?, Lexeme, IEnumerable<PolicyRequestSpec>), (PrioritySpec?, Lexeme, IEnumerable<PolicyRequestSpec>)?>(body);
        if (Semicolon(i).WasSuccessful || i.AtEnd)
            return Result.Success<(PrioritySpec?, Lexeme, IEnumerable<PolicyRequestSpec>)?>(null, i);
        return Result.Failure<(PrioritySpec?, Lexeme, IEnumerable<PolicyRequestSpec>)?>(i, body.Message, body.Expectations.Append("`;'"));
    };

    /// <summary>Everything from <c>-P</c> up to (not including) the <c>;</c>.</summary>
    public static readonly Parser<PolicySpec> Policy =
        Sequence(Option("P"), Word1("a direction (in, out or fwd)", "in", "out", "fwd"), OptionalBody,
            (option, direction, body) => new PolicySpec(option, direction, body?.Priority, body?.Action, body?.Requests.ToArray() ?? []));

    private static bool IsUniqueWithId(string text) =>
        text.Length > 7 && text.StartsWith("unique:", StringComparison.Ordinal) && IsDecimal(text[7..]);

    private static bool IsPolicyKeyword(string w) => w is "in" or "out" or "fwd" or "priority" or "prio" or "low" or "def" or "high"
        or "discard" or "none" or "ipsec" or "bypass" or "entrust" or "esp" or "ah" or "ipcomp" or "transport" or "tunnel"
        or "me" or "any" or "default" or "use" or "require" or "unique";

    /// <summary><c>[</c> digits <c>]</c>, without blanks.</summary>
    private static int PortLength(string s, int p)
    {
        if (p >= s.Length || s[p] != '[')
            return 0;
        var n = 1;
        while (p + n < s.Length && char.IsAsciiDigit(s[p + n]))
            n++;
        return n > 1 && p + n < s.Length && s[p + n] == ']' ? n + 1 : 0;
    }

    /// <summary><c>[a-zA-Z0-9:._]+(%[a-zA-Z0-9]+)?</c>.</summary>
    private static int PolicyWordLength(string s, int p)
    {
        var n = 0;
        while (p + n < s.Length && (char.IsAsciiLetterOrDigit(s[p + n]) || s[p + n] is ':' or '.' or '_'))
            n++;
        if (n > 0 && p + n < s.Length && s[p + n] == '%')
        {
            var m = 1;
            while (p + n + m < s.Length && char.IsAsciiLetterOrDigit(s[p + n + m]))
                m++;
            if (m > 1)
                n += m;
        }
        return n;
    }
}
