namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>
/// One IPsec request of a policy: <c>proto/mode/[A-B]/[level]</c> with its shorter forms.
/// <see cref="Level"/> is the level word (<c>unique</c> for <c>unique:N</c>, whose N is
/// <see cref="UniqueId"/>).
/// </summary>
public sealed record PolicyRequestSpec(
    Lexeme Protocol,
    Lexeme? Mode,
    PolicyEndpoints? Endpoints,
    Lexeme? Level,
    Lexeme? UniqueId);
