namespace KernelIpsec.Ike.Config;

/// <summary>Where a configuration element was written: file, 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
