namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>spddump;</c></summary>
public sealed record SpdDumpCommand(Lexeme Keyword) : ScriptCommand(Keyword);
