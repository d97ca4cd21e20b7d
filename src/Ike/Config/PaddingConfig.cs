namespace KernelIpsec.Ike.Config;

/// <summary>`padding { }`: ISAKMP payload padding, racoon's defaults.</summary>
public sealed record PaddingConfig
{
    public bool Randomize { get; init; } = true;
    public bool RandomizeLength { get; init; }
    public int MaximumLength { get; init; } = 20;
    public bool ExclusiveTail { get; init; } = true;
    public bool StrictCheck { get; init; }
}
