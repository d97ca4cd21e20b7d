namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>
/// <c>prio N</c>, <c>prio -N</c>, <c>prio base</c>, <c>prio base +N</c>, <c>prio base -N</c>
/// (<c>priority</c> is a synonym of <c>prio</c>; base is low, def or high).
/// </summary>
public sealed record PrioritySpec(Lexeme Keyword, Lexeme? Base, Lexeme? Sign, Lexeme? Offset);
