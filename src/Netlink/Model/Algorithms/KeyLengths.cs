namespace KernelIpsec.Netlink.Model.Algorithms;

/// <summary>
/// The key lengths (in bits) an algorithm accepts: either a short list (AES: 128, 192, 256) or a
/// range with a step (Blowfish: 40..448 in steps of 8). Lengths of AES-CTR/GCM/CCM include the salt.
/// </summary>
public sealed class KeyLengths
{
    private readonly int[]? list;

    private KeyLengths(int[]? list, int min, int max, int step)
    {
        this.list = list;
        Min = min;
        Max = max;
        Step = step;
    }

    public int Min { get; }

    public int Max { get; }

    public int Step { get; }

    public static KeyLengths Exactly(params int[] bits) => new([.. bits], bits.Min(), bits.Max(), 0);

    public static KeyLengths Range(int min, int max, int step) => new(null, min, max, step);

    public bool Allows(int bits) => list is not null
        ? Array.IndexOf(list, bits) >= 0
        : bits >= Min && bits <= Max && (bits - Min) % Step == 0;

    /// <summary>Every allowed length, smallest first.</summary>
    public IEnumerable<int> All => list ?? Enumerable.Range(0, ((Max - Min) / Step) + 1).Select(i => Min + (i * Step));

    /// <summary>"128, 192 or 256" or "40 to 448 in steps of 8".</summary>
    public override string ToString()
    {
        if (list is null)
            return $"{Min} to {Max} in steps of {Step}";
        if (list.Length == 1)
            return list[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(", ", list[..^1]) + " or " + list[^1];
    }
}
