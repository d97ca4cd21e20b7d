namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>Where something stands in a setkey script (1-based line and column).</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File},{Line}:{Column}";
}
