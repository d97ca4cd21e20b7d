namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>deleteall [opts] src dst protocol;</c> (addresses without ports).</summary>
public sealed record DeleteAllCommand(
    Lexeme Keyword,
    AddressOptions Options,
    Lexeme Source,
    Lexeme Destination,
    ProtocolSpec Protocol) : ScriptCommand(Keyword);
