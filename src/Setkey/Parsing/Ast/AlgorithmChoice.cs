namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>
/// <c>-E name [key]</c>, <c>-A name [key]</c> or <c>-C name</c>. <see cref="Key"/> keeps the key as
/// written (<c>"text"</c> with its quotes, or <c>0x…</c>).
/// </summary>
public sealed record AlgorithmChoice(Lexeme Option, Lexeme Name, Lexeme? Key);
