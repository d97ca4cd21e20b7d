namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>spdflush;</c></summary>
public sealed record SpdFlushCommand(Lexeme Keyword) : ScriptCommand(Keyword);
