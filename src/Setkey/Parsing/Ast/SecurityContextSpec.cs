namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>-ctx doi alg "context"</c>: an LSM label.</summary>
public sealed record SecurityContextSpec(Lexeme Option, Lexeme Doi, Lexeme Algorithm, Lexeme Context);
