namespace KernelIpsec.Setkey.Parsing;

/// <summary>The value of parsers that only consume (blanks, comments).</summary>
internal readonly record struct Unit
{
    public static Unit Value => default;
}
