using KernelIpsec.Setkey.Parsing.Ast;
using Sprache;
using static KernelIpsec.Setkey.Parsing.Combinators;
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
    // Every parser is built once, into a field or when its statement's parser is built: a combinator
    // called while parsing would build a new parser for every statement. Sequences use
    // Combinators.Sequence rather than query expressions (whose `from … in` runs for every value read
    // and costs two objects a step), as scripts of tens of thousands of statements are common.

    private static readonly Parser<Lexeme> Address = PlainString("an address");

    private static readonly Parser<Lexeme?> OptionalAddress = Address.OptionalOrNull();

    private static readonly Parser<AddressOptions> AddressOptions =
        AddressFlag.Many().Select(flags => flags.Any() ? new AddressOptions(flags.ToArray()) : Ast.AddressOptions.None);

    private static readonly Parser<Lexeme> PortValue =
        Keyword("any").Or(DecimalNumber).Or(PlainString("a service name")).Named("a port (number, name or any)");

    /// <summary><c>[port]</c>, <c>[any]</c>, <c>[service-name]</c>.</summary>
    private static readonly Parser<Lexeme?> OptionalPort =
        Sequence(Punctuation('['), PortValue, Punctuation(']'), (_, port, _) => port).XOptionalOrNull();

    private static readonly Parser<HostSpec> Host =
        Sequence(Address, OptionalPort, (address, port) => new HostSpec(address, port));

    private static readonly Parser<Lexeme?> OptionalPrefix =
        Sequence(Punctuation('/'), DecimalNumber, (_, length) => length).XOptionalOrNull();

    private static readonly Parser<SelectorSpec> Selector =
        Sequence(Address, OptionalPrefix, OptionalPort, (address, prefix, port) => new SelectorSpec(address, prefix, port));

    private static readonly Parser<ProtocolSpec> Protocol =
        Sequence(Keyword("esp-udp"), OptionalAddress, (name, oa) => new ProtocolSpec(name, oa))
        .Or(KeywordOf("a protocol (esp, ah, ipcomp, esp-udp, esp-old, ah-old)", "esp", "ah", "esp-old", "ah-old", "ipcomp", "tcp")
            .Select(name => new ProtocolSpec(name, null)))
        .Named("a protocol (esp, ah, ipcomp, esp-udp, esp-old, ah-old)");

    private static readonly Parser<ProtocolSpec?> OptionalProtocol = Protocol.XOptionalOrNull();

    private static readonly Parser<Lexeme> Spi = DecimalNumber.Or(Hex).Named("an SPI (decimal or 0x…)");

    private static Parser<SaExtension> Extension(string option, Parser<Lexeme> value) =>
        Sequence(Option(option), value, (o, v) => new SaExtension(o, [v]));

    private static readonly Parser<IEnumerable<SaExtension>> SaExtensions = OptionWord.PickedBy(
        ("-m", Extension("m", KeywordOf("a mode (transport, tunnel or any)", "transport", "tunnel", "any"))),
        ("-r", Extension("r", DecimalNumber)),
        ("-u", Extension("u", DecimalNumber)),
        ("-f", Extension("f", KeywordOf("zero-pad, random-pad, seq-pad or nocyclic-seq", "zero-pad", "random-pad", "seq-pad", "nocyclic-seq"))),
        ("-lh", Extension("lh", DecimalNumber)),
        ("-ls", Extension("ls", DecimalNumber)),
        ("-bh", Extension("bh", DecimalNumber)),
        ("-bs", Extension("bs", DecimalNumber)),
        ("-ctx", Sequence(Option("ctx"), DecimalNumber, DecimalNumber, Quoted, (o, doi, alg, context) => new SaExtension(o, [doi, alg, context]))))
        .XMany();

    private static readonly Parser<Lexeme> AlgorithmName = AnyWord.Named("an algorithm name");

    private static readonly Parser<Lexeme?> OptionalKey = Quoted.Or(Hex).Named("a key (\"text\" or 0x…)").OptionalOrNull();

    private static Parser<AlgorithmChoice> KeyedAlgorithm(string option) =>
        Sequence(Option(option), AlgorithmName, OptionalKey, (o, name, key) => new AlgorithmChoice(o, name, key));

    private static readonly Parser<AlgorithmChoice> CompressionAlgorithm =
        Sequence(Option("C"), AlgorithmName, (o, name) => new AlgorithmChoice(o, name, null));

    private static readonly Parser<AlgorithmSpec?> Algorithms = OptionWord.PickedBy<AlgorithmSpec?>(
        ("-E", Sequence(KeyedAlgorithm("E"), KeyedAlgorithm("A").XOptionalOrNull(), (enc, auth) => (AlgorithmSpec?)new AlgorithmSpec(enc, auth, null, null))),
        ("-A", KeyedAlgorithm("A").Select(auth => (AlgorithmSpec?)new AlgorithmSpec(null, auth, null, null))),
        ("-C", Sequence(CompressionAlgorithm, Option("R").XOptionalOrNull(), (comp, raw) => (AlgorithmSpec?)new AlgorithmSpec(null, null, comp, raw))));

    private static readonly Parser<AlgorithmSpec?> NoAlgorithms = Parse.Return((AlgorithmSpec?)null);

    private static Parser<ScriptCommand> SaStatement(string keyword, SaOperation operation, bool withAlgorithms) =>
        Sequence(Keyword(keyword), AddressOptions, Host, Host, Protocol, Spi, SaExtensions, withAlgorithms ? Algorithms : NoAlgorithms, Semicolon,
            (k, options, src, dst, protocol, spi, extensions, algorithms, _) =>
                (ScriptCommand)new SaCommand(k, operation, options, src, dst, protocol, spi, extensions.ToArray(), algorithms));

    private static readonly Parser<ScriptCommand> DeleteAll =
        Sequence(Keyword("deleteall"), AddressOptions, Address, Address, Protocol, Semicolon,
            (k, options, src, dst, protocol, _) => (ScriptCommand)new DeleteAllCommand(k, options, src, dst, protocol));

    private static readonly Parser<ScriptCommand> Flush =
        Sequence(Keyword("flush"), OptionalProtocol, Semicolon, (k, protocol, _) => (ScriptCommand)new FlushCommand(k, protocol));

    private static readonly Parser<ScriptCommand> Dump =
        Sequence(Keyword("dump"), OptionalProtocol, Semicolon, (k, protocol, _) => (ScriptCommand)new DumpCommand(k, protocol));

    /// <summary>A decimal, <c>any</c>, <c>tcp</c> or a name from /etc/protocols.</summary>
    private static readonly Parser<Lexeme> UpperProtocol =
        DecimalNumber.Or(Keyword("any")).Or(Keyword("tcp")).Or(PlainString("a protocol name"))
            .Named("an upper-layer protocol (any, a number or a name such as tcp, udp, icmp)");

    private static readonly Parser<Lexeme?> OptionalUpperMisc = PlainString("upper-layer parameters (type,code)").XOptionalOrNull();

    private static readonly Parser<SecurityContextSpec?> OptionalSecurityContext =
        Sequence(Option("ctx"), DecimalNumber, DecimalNumber, Quoted, (o, doi, alg, context) => new SecurityContextSpec(o, doi, alg, context))
            .XOptionalOrNull();

    /// <summary>What follows the keyword of spdadd/spdupdate/spddelete: the command, once it is given its keyword.</summary>
    private static Parser<Func<Lexeme, ScriptCommand>> SelectorPolicy(PolicyOperation operation) =>
        Sequence(AddressOptions, Selector, Selector, UpperProtocol, OptionalUpperMisc, OptionalSecurityContext, PolicyGrammar.Policy,
            (options, src, dst, upper, misc, context, policy) => (Func<Lexeme, ScriptCommand>)(keyword =>
                new PolicyCommand(keyword, operation, options, src, dst, upper, misc, context, policy)));

    private static Parser<Func<Lexeme, ScriptCommand>> TaggedPolicy(PolicyOperation operation) =>
        Sequence(Keyword("tagged"), Quoted, PolicyGrammar.Policy,
            (_, tag, policy) => (Func<Lexeme, ScriptCommand>)(keyword => new TaggedPolicyCommand(keyword, operation, tag, policy)));

    private static Parser<ScriptCommand> PolicyStatement(string keyword, PolicyOperation operation, bool tagged) =>
        Sequence(Keyword(keyword), tagged ? TaggedPolicy(operation).XOr(SelectorPolicy(operation)) : SelectorPolicy(operation), Semicolon,
            (k, command, _) => command(k));

    private static Parser<ScriptCommand> Bare(string keyword, Func<Lexeme, ScriptCommand> make) =>
        Sequence(Keyword(keyword), Semicolon, (k, _) => make(k));

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
