namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>
/// <c>esp</c>, <c>ah</c>, <c>esp-old</c>, <c>ah-old</c>, <c>ipcomp</c>, <c>tcp</c>, or <c>esp-udp [original-address]</c>.
/// </summary>
public sealed record ProtocolSpec(Lexeme Name, Lexeme? NatOriginalAddress);
