namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>add|update|get|delete|getspi [opts] src dst protocol spi [extensions] [algorithms];</c></summary>
public sealed record SaCommand(
    Lexeme Keyword,
    SaOperation Operation,
    AddressOptions Options,
    HostSpec Source,
    HostSpec Destination,
    ProtocolSpec Protocol,
    Lexeme Spi,
    IReadOnlyList<SaExtension> Extensions,
    AlgorithmSpec? Algorithms) : ScriptCommand(Keyword);
