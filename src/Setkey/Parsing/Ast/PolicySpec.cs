namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>
/// The text after <c>-P</c>: <c>dir [priority] [action rules…]</c>. Direction alone is the
/// spddelete form.
/// </summary>
public sealed record PolicySpec(
    Lexeme Option,
    Lexeme Direction,
    PrioritySpec? Priority,
    Lexeme? Action,
    IReadOnlyList<PolicyRequestSpec> Requests);
