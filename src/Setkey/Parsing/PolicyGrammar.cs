using KernelIpsec.Setkey.Parsing.Ast;
using Sprache;
using static KernelIpsec.Setkey.Parsing.SetkeyLexicon;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// The policy language after <c>-P</c> (libipsec <c>policy_token.l</c>/<c>policy_parse.y</c>):
/// <c>in|out|fwd [prio …] [discard|none|ipsec|entrust|bypass [proto/mode/[A-B]/[level] …]]</c>.
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

    private static readonly Parser<Lexeme> Plus = Punctuation('+');

    private static readonly Parser<Lexeme> Minus = Punctuation('-');

    private static readonly Parser<Lexeme> Sign = Plus.Or(Minus);

    private static readonly Parser<IOption<(Lexeme Sign, Lexeme Number)>> OptionalSignedOffset = (
        from sign in Sign
        from n in Number
        select (sign, n)).XOptional();

    private static readonly Parser<Lexeme> PriorityBase = Word1("a priority base", "low", "def", "high");

    /// <summary>The part after <c>prio</c>: <c>N</c>, <c>-N</c>, <c>base</c>, <c>base +N</c>, <c>base -N</c>.</summary>
    private static readonly Parser<Func<Lexeme, PrioritySpec>> PriorityValue =
        (from @base in PriorityBase
         from offset in OptionalSignedOffset
         select (Func<Lexeme, PrioritySpec>)(keyword => new PrioritySpec(
             keyword, @base, offset.IsDefined ? offset.Get().Sign : null, offset.IsDefined ? offset.Get().Number : null)))
        .Or(from sign in Minus
            from n in Number
            select (Func<Lexeme, PrioritySpec>)(keyword => new PrioritySpec(keyword, null, sign, n)))
        .Or(from n in Number
            select (Func<Lexeme, PrioritySpec>)(keyword => new PrioritySpec(keyword, null, null, n)))
        .Named("a priority (low, def, high, a number, or base +/- number)");

    private static readonly Parser<PrioritySpec> Priority =
        from keyword in Word1("`prio' or `priority'", "prio", "priority")
        from spec in PriorityValue
        select spec(keyword);

    private static readonly Parser<Lexeme> Action =
        Word1("an action (discard, none, ipsec, entrust or bypass)", "discard", "none", "ipsec", "entrust", "bypass");

    private static readonly Parser<Lexeme> CloseBracket = Punctuation(']');

    private static readonly Parser<IOption<Lexeme>> OptionalPort = (
        from open in Punctuation('[')
        from port in Number
        from close in CloseBracket
        select port).XOptional();

    private static readonly Parser<Lexeme> EndpointAddress =
        Word.Accepting(w => !IsPolicyKeyword(w) || w is "me" or "any", "an address");

    private static readonly Parser<PolicyEndpoints> Endpoints =
        from src in EndpointAddress
        from srcPort in OptionalPort
        from hyphen in Minus
        from dst in EndpointAddress
        from dstPort in OptionalPort
        select new PolicyEndpoints(src, srcPort.GetOrDefault(), dst, dstPort.GetOrDefault());

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

    private static readonly Parser<IOption<PolicyEndpoints>> OptionalEndpoints = Endpoints.XOptional();

    private static readonly Parser<IOption<(Lexeme Level, Lexeme? Id)?>> OptionalSlashLevel = (
        from slash3 in Slash
        from level in OptionalLevel
        select level).XOptional();

    /// <summary><c>/[A-B][/[level]]</c> after <c>proto/mode</c>.</summary>
    private static readonly Parser<IOption<(PolicyEndpoints? Endpoints, (Lexeme Level, Lexeme? Id)? Level)>> OptionalTail = (
        from slash2 in Slash
        from endpoints in OptionalEndpoints
        from level in OptionalSlashLevel
        select (endpoints.GetOrDefault(), level.IsDefined ? level.Get() : null)).XOptional();

    private static readonly Parser<Lexeme> Mode = Word1("a mode (transport or tunnel)", "transport", "tunnel");

    private static readonly Parser<PolicyRequestSpec> Request =
        from protocol in Word1("a protocol (esp, ah or ipcomp)", "esp", "ah", "ipcomp")
        from slash1 in Slash
        from mode in Mode
        from tail in OptionalTail
        select new PolicyRequestSpec(
            protocol,
            mode,
            tail.IsDefined ? tail.Get().Endpoints : null,
            tail.IsDefined ? tail.Get().Level?.Level : null,
            tail.IsDefined ? tail.Get().Level?.Id : null);

    private static readonly Parser<Lexeme> Direction = Word1("a direction (in, out or fwd)", "in", "out", "fwd");

    private static readonly Parser<IOption<PrioritySpec>> OptionalPriority = Priority.XOptional();

    private static readonly Parser<IOption<Lexeme>> OptionalAction = Action.XOptional();

    private static readonly Parser<IEnumerable<PolicyRequestSpec>> Requests = Request.XMany();

    /// <summary>Everything from <c>-P</c> up to (not including) the <c>;</c>.</summary>
    public static readonly Parser<PolicySpec> Policy =
        from option in Option("P")
        from direction in Direction
        from priority in OptionalPriority
        from action in OptionalAction
        from requests in Requests
        select new PolicySpec(option, direction, priority.GetOrDefault(), action.GetOrDefault(), requests.ToArray());

    private static bool IsUniqueWithId(string text) =>
        text.Length > 7 && text.StartsWith("unique:", StringComparison.Ordinal) && IsDecimal(text[7..]);

    private static bool IsPolicyKeyword(string w) => w is "in" or "out" or "fwd" or "priority" or "prio" or "low" or "def" or "high"
        or "discard" or "none" or "ipsec" or "bypass" or "entrust" or "esp" or "ah" or "ipcomp" or "transport" or "tunnel"
        or "me" or "any" or "default" or "use" or "require" or "unique";

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
