namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>A policy selector side: <c>address[/prefix][[port]]</c>; port may be <c>any</c>.</summary>
public sealed record SelectorSpec(Lexeme Address, Lexeme? PrefixLength, Lexeme? Port);
