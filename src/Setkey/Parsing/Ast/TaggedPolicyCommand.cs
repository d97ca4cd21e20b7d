namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary><c>spdadd|spdupdate tagged "tag" -P policy;</c> (a KAME form Linux cannot carry out).</summary>
public sealed record TaggedPolicyCommand(Lexeme Keyword, PolicyOperation Operation, Lexeme Tag, PolicySpec Policy)
    : ScriptCommand(Keyword);
