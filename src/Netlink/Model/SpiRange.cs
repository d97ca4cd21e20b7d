namespace KernelIpsec.Netlink.Model;

/// <summary>Inclusive SPI range for allocation.</summary>
public sealed record SpiRange
{
    public SpiRange(uint min, uint max)
    {
        if (min > max)
            throw new ArgumentException($"SPI range 0x{min:x}-0x{max:x} is empty");
        Min = min;
        Max = max;
    }

    /// <summary>The range Linux's PF_KEY uses when none is given (0x100..0x0fffffff).</summary>
    public static readonly SpiRange Default = new(0x100, 0x0fffffff);

    public uint Min { get; }

    public uint Max { get; }

    public override string ToString() => $"0x{Min:x}-0x{Max:x}";
}
