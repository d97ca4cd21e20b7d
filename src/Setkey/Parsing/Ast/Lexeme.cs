namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>A word of the script as written, with where it was written.</summary>
public sealed record Lexeme(string Text, SourcePosition Position)
{
    public override string ToString() => Text;
}
