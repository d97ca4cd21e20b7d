using KernelIpsec.Setkey.Parsing.Ast;
using Sprache;
using static KernelIpsec.Setkey.Parsing.SetkeyLexicon;

namespace KernelIpsec.Setkey.Parsing;

/// <summary>
/// The statements of a setkey script (ipsec-tools <c>parse.y</c>), one parser per statement
/// form. Each produces an AST record whose lexemes keep their positions; names, numbers,
/// addresses and key lengths are checked afterwards by the binder so that every such error
/// also points at the word it is about.
/// </summary>
internal static class SetkeyGrammar
{
    // Every parser a query expression uses after its first `from` is a field: the expression
    // after `in` is evaluated for every value the query reads, so a combinator call there would
    // build a new parser for every statement.

    private static readonly Parser<Lexeme> Address = PlainString("an address");

    private static readonly Parser<IOption<Lexeme>> OptionalAddress = Address.Optional();

    private static readonly Parser<AddressOptions> AddressOptions =
        AddressFlag.Many().Select(flags => flags.Any() ? new AddressOptions(flags.ToArray()) : Ast.AddressOptions.None);

    private static readonly Parser<Lexeme> PortValue =
        Keyword("any").Or(DecimalNumber).Or(PlainString("a service name")).Named("a port (number, name or any)");

    private static readonly Parser<Lexeme> OpenBracket = Punctuation('[');

    private static readonly Parser<Lexeme> CloseBracket = Punctuation(']');

    /// <summary><c>[port]</c>, <c>[any]</c>, <c>[service-name]</c>.</summary>
    private static readonly Parser<IOption<Lexeme>> OptionalPort = (
        from open in OpenBracket
        from port in PortValue
        from close in CloseBracket
        select port).XOptional();

    private static readonly Parser<HostSpec> Host =
        from address in Address
        from port in OptionalPort
        select new HostSpec(address, port.GetOrDefault());

    private static readonly Parser<Lexeme> Slash = Punctuation('/');

    private static readonly Parser<IOption<Lexeme>> OptionalPrefix = (
        from slash in Slash
        from length in DecimalNumber
        select length).XOptional();

    private static readonly Parser<SelectorSpec> Selector =
        from address in Address
        from prefix in OptionalPrefix
        from port in OptionalPort
        select new SelectorSpec(address, prefix.GetOrDefault(), port.GetOrDefault());

    private static readonly Parser<ProtocolSpec> Protocol =
        (from name in Keyword("esp-udp")
         from oa in OptionalAddress
         select new ProtocolSpec(name, oa.GetOrDefault()))
        .Or(KeywordOf("a protocol (esp, ah, ipcomp, esp-udp, esp-old, ah-old)", "esp", "ah", "esp-old", "ah-old", "ipcomp", "tcp")
            .Select(name => new ProtocolSpec(name, null)))
        .Named("a protocol (esp, ah, ipcomp, esp-udp, esp-old, ah-old)");

    private static readonly Parser<IOption<ProtocolSpec>> OptionalProtocol = Protocol.XOptional();

    private static readonly Parser<Lexeme> Spi = DecimalNumber.Or(Hex).Named("an SPI (decimal or 0x…)");

    private static Parser<SaExtension> Extension(string option, params Parser<Lexeme>[] values)
    {
        var all = values.Aggregate(
            Parse.Return<IEnumerable<Lexeme>>(Array.Empty<Lexeme>()),
            (acc, next) => from a in acc from n in next select a.Append(n));
        return from o in Option(option)
               from v in all
               select new SaExtension(o, v.ToArray());
    }

    private static readonly Parser<IEnumerable<SaExtension>> SaExtensions = OptionWord.PickedBy(
        ("-m", Extension("m", KeywordOf("a mode (transport, tunnel or any)", "transport", "tunnel", "any"))),
        ("-r", Extension("r", DecimalNumber)),
        ("-u", Extension("u", DecimalNumber)),
        ("-f", Extension("f", KeywordOf("zero-pad, random-pad, seq-pad or nocyclic-seq", "zero-pad", "random-pad", "seq-pad", "nocyclic-seq"))),
        ("-lh", Extension("lh", DecimalNumber)),
        ("-ls", Extension("ls", DecimalNumber)),
        ("-bh", Extension("bh", DecimalNumber)),
        ("-bs", Extension("bs", DecimalNumber)),
        ("-ctx", Extension("ctx", DecimalNumber, DecimalNumber, Quoted))).XMany();

    private static readonly Parser<Lexeme> AlgorithmName = AnyWord.Named("an algorithm name");

    private static readonly Parser<IOption<Lexeme>> OptionalKey = Quoted.Or(Hex).Named("a key (\"text\" or 0x…)").Optional();

    private static Parser<AlgorithmChoice> KeyedAlgorithm(string option) =>
        from o in Option(option)
        from name in AlgorithmName
        from key in OptionalKey
        select new AlgorithmChoice(o, name, key.GetOrDefault());

    private static readonly Parser<AlgorithmChoice> CompressionAlgorithm =
        from o in Option("C")
        from name in AlgorithmName
        select new AlgorithmChoice(o, name, null);

    private static readonly Parser<IOption<AlgorithmChoice>> OptionalAuthentication = KeyedAlgorithm("A").XOptional();

    private static readonly Parser<IOption<Lexeme>> OptionalRawCpi = Option("R").XOptional();

    private static readonly Parser<AlgorithmSpec?> Algorithms = OptionWord.PickedBy<AlgorithmSpec?>(
        ("-E", from enc in KeyedAlgorithm("E")
               from auth in OptionalAuthentication
               select (AlgorithmSpec?)new AlgorithmSpec(enc, auth.GetOrDefault(), null, null)),
        ("-A", KeyedAlgorithm("A").Select(auth => (AlgorithmSpec?)new AlgorithmSpec(null, auth, null, null))),
        ("-C", from comp in CompressionAlgorithm
               from raw in OptionalRawCpi
               select (AlgorithmSpec?)new AlgorithmSpec(null, null, comp, raw.GetOrDefault())));

    private static readonly Parser<AlgorithmSpec?> NoAlgorithms = Parse.Return((AlgorithmSpec?)null);

    private static Parser<ScriptCommand> SaStatement(string keyword, SaOperation operation, bool withAlgorithms)
    {
        var algorithmsOrNone = withAlgorithms ? Algorithms : NoAlgorithms;
        return from k in Keyword(keyword)
               from options in AddressOptions
               from src in Host
               from dst in Host
               from protocol in Protocol
               from spi in Spi
               from extensions in SaExtensions
               from algorithms in algorithmsOrNone
               from end in Semicolon
               select (ScriptCommand)new SaCommand(k, operation, options, src, dst, protocol, spi, extensions.ToArray(), algorithms);
    }

    private static readonly Parser<ScriptCommand> DeleteAll =
        from k in Keyword("deleteall")
        from options in AddressOptions
        from src in Address
        from dst in Address
        from protocol in Protocol
        from end in Semicolon
        select new DeleteAllCommand(k, options, src, dst, protocol);

    private static readonly Parser<ScriptCommand> Flush =
        from k in Keyword("flush")
        from protocol in OptionalProtocol
        from end in Semicolon
        select new FlushCommand(k, protocol.GetOrDefault());

    private static readonly Parser<ScriptCommand> Dump =
        from k in Keyword("dump")
        from protocol in OptionalProtocol
        from end in Semicolon
        select new DumpCommand(k, protocol.GetOrDefault());

    /// <summary>A decimal, <c>any</c>, <c>tcp</c> or a name from /etc/protocols.</summary>
    private static readonly Parser<Lexeme> UpperProtocol =
        DecimalNumber.Or(Keyword("any")).Or(Keyword("tcp")).Or(PlainString("a protocol name"))
            .Named("an upper-layer protocol (any, a number or a name such as tcp, udp, icmp)");

    private static readonly Parser<IOption<Lexeme>> OptionalUpperMisc = PlainString("upper-layer parameters (type,code)").XOptional();

    private static readonly Parser<SecurityContextSpec> SecurityContext =
        from o in Option("ctx")
        from doi in DecimalNumber
        from alg in DecimalNumber
        from context in Quoted
        select new SecurityContextSpec(o, doi, alg, context);

    private static readonly Parser<IOption<SecurityContextSpec>> OptionalSecurityContext = SecurityContext.XOptional();

    /// <summary>What follows the keyword of spdadd/spdupdate/spddelete: the command, once it is given its keyword.</summary>
    private static Parser<Func<Lexeme, ScriptCommand>> SelectorPolicy(PolicyOperation operation) =>
        from options in AddressOptions
        from src in Selector
        from dst in Selector
        from upper in UpperProtocol
        from misc in OptionalUpperMisc
        from context in OptionalSecurityContext
        from policy in PolicyGrammar.Policy
        select (Func<Lexeme, ScriptCommand>)(keyword =>
            new PolicyCommand(keyword, operation, options, src, dst, upper, misc.GetOrDefault(), context.GetOrDefault(), policy));

    private static readonly Parser<Lexeme> Tagged = Keyword("tagged");

    private static Parser<Func<Lexeme, ScriptCommand>> TaggedPolicy(PolicyOperation operation) =>
        from t in Tagged
        from tag in Quoted
        from policy in PolicyGrammar.Policy
        select (Func<Lexeme, ScriptCommand>)(keyword => new TaggedPolicyCommand(keyword, operation, tag, policy));

    private static Parser<ScriptCommand> PolicyStatement(string keyword, PolicyOperation operation, bool tagged)
    {
        var body = tagged ? TaggedPolicy(operation).XOr(SelectorPolicy(operation)) : SelectorPolicy(operation);
        return from k in Keyword(keyword)
               from command in body
               from end in Semicolon
               select command(k);
    }

    private static Parser<ScriptCommand> Bare(string keyword, Func<Lexeme, ScriptCommand> make) =>
        from k in Keyword(keyword)
        from end in Semicolon
        select make(k);

    /// <summary>
    /// Any one statement, up to and including its <c>;</c>; its first word picks the form (a word
    /// that starts none fails where it stands, expecting any statement keyword).
    /// </summary>
    public static readonly Parser<ScriptCommand> Statement = AnyWord.PickedBy(
        ("add", SaStatement("add", SaOperation.Add, withAlgorithms: true)),
        ("update", SaStatement("update", SaOperation.Update, withAlgorithms: true)),
        ("get", SaStatement("get", SaOperation.Get, withAlgorithms: false)),
        ("delete", SaStatement("delete", SaOperation.Delete, withAlgorithms: false)),
        ("getspi", SaStatement("getspi", SaOperation.GetSpi, withAlgorithms: false)),
        ("deleteall", DeleteAll),
        ("flush", Flush),
        ("dump", Dump),
        ("spdadd", PolicyStatement("spdadd", PolicyOperation.Add, tagged: true)),
        ("spdupdate", PolicyStatement("spdupdate", PolicyOperation.Update, tagged: true)),
        ("spddelete", PolicyStatement("spddelete", PolicyOperation.Delete, tagged: false)),
        ("spddump", Bare("spddump", k => new SpdDumpCommand(k))),
        ("spdflush", Bare("spdflush", k => new SpdFlushCommand(k))),
        ("exit", Bare("exit", k => new ExitCommand(k))),
        ("quit", Bare("quit", k => new ExitCommand(k))),
        ("bye", Bare("bye", k => new ExitCommand(k))));
}
