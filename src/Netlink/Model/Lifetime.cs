namespace KernelIpsec.Netlink.Model;

/// <summary>
/// Soft and hard limits of an SA or policy. The soft limit triggers a soft EXPIRE (time to rekey); the
/// hard limit removes the entry. A soft limit above its hard limit is rejected because it could never fire.
/// </summary>
public sealed record Lifetime
{
    public Lifetime(LifetimeLimits? soft = null, LifetimeLimits? hard = null)
        : this(soft ?? LifetimeLimits.Unlimited, hard ?? LifetimeLimits.Unlimited, check: true)
    {
    }

    private Lifetime(LifetimeLimits soft, LifetimeLimits hard, bool check)
    {
        Soft = soft;
        Hard = hard;
        if (check)
        {
            Check("bytes", Soft.Bytes, Hard.Bytes);
            Check("packets", Soft.Packets, Hard.Packets);
            Check("add seconds", Soft.AddSeconds, Hard.AddSeconds);
            Check("use seconds", Soft.UseSeconds, Hard.UseSeconds);
        }
    }

    /// <summary>
    /// Limits read back from the kernel, unchecked: Linux keeps a soft limit above the hard one if a tool installed
    /// it so (ip xfrm, another daemon), and a dump must show that entry, not fail on it (found by fuzzing).
    /// </summary>
    internal static Lifetime FromKernel(LifetimeLimits soft, LifetimeLimits hard) => new(soft, hard, check: false);

    public static readonly Lifetime Unlimited = new();

    public LifetimeLimits Soft { get; }

    public LifetimeLimits Hard { get; }

    private static void Check(string what, ulong soft, ulong hard)
    {
        if (soft != 0 && hard != 0 && soft > hard)
            throw new ArgumentException($"soft lifetime {what} {soft} exceeds hard lifetime {what} {hard}");
    }

    public override string ToString() => $"soft {Soft} hard {Hard}";
}
