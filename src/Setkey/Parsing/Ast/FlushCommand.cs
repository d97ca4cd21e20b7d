namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>flush [protocol];</c></summary>
public sealed record FlushCommand(Lexeme Keyword, ProtocolSpec? Protocol) : ScriptCommand(Keyword);
