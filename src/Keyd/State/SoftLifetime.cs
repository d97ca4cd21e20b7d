namespace KernelIpsec.Keyd.State;

/// <summary>
/// libipsec's PFKEY_SOFT_LIFETIME_RATE: racoon gives each SA a soft limit at 80 % of the hard one, both when it
/// installs a negotiated SA and when -B restores one.
/// </summary>
public static class SoftLifetime
{
    public const int Percent = 80;

    /// <summary>The soft limit for <paramref name="hard"/> (0, "no limit", stays 0).</summary>
    public static ulong Of(ulong hard) => hard * Percent / 100;
}
