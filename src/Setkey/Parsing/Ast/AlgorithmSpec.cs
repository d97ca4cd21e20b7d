namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>The algorithm part of add/update: ESP (-E [-A]), AH (-A) or IPComp (-C [-R]).</summary>
public sealed record AlgorithmSpec(
    AlgorithmChoice? Encryption,
    AlgorithmChoice? Authentication,
    AlgorithmChoice? Compression,
    Lexeme? RawCpi);
