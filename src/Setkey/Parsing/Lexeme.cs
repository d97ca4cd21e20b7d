namespace KernelIpsec.Setkey.Parsing;

/// <summary>A word of the script as written, with where it was written.</summary>
public sealed record Lexeme(string Text, SourcePosition Position)
{
    public override string ToString() => Text;
}
