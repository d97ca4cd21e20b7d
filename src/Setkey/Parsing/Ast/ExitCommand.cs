namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>exit;</c>, <c>quit;</c> or <c>bye;</c>: the rest of the script is not read.</summary>
public sealed record ExitCommand(Lexeme Keyword) : ScriptCommand(Keyword);
