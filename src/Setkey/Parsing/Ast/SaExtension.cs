namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>One SA extension as written: <c>-m tunnel</c>, <c>-r 64</c>, <c>-ctx 1 1 "label"</c>, …</summary>
public sealed record SaExtension(Lexeme Option, IReadOnlyList<Lexeme> Values);
