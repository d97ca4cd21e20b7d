namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>dump [protocol];</c></summary>
public sealed record DumpCommand(Lexeme Keyword, ProtocolSpec? Protocol) : ScriptCommand(Keyword);
