namespace KernelIpsec.Netlink.Model;

/// <summary>
/// What the kernel counted for an installed SA or policy (read back only; ignored when installing).
/// </summary>
/// <param name="Bytes">Bytes processed.</param>
/// <param name="Packets">Packets processed.</param>
/// <param name="Added">When the entry was installed.</param>
/// <param name="LastUsed">When it was first used, null if never.</param>
public sealed record LifetimeCurrent(ulong Bytes, ulong Packets, DateTimeOffset? Added, DateTimeOffset? LastUsed)
{
    /// <summary>
    /// A kernel timestamp (seconds since 1970, 0 for never) as a time; one past year 9999, which only a corrupt
    /// or hostile message holds, is shown as the latest time there is rather than failing the read (found by fuzzing).
    /// </summary>
    internal static DateTimeOffset? FromKernelSeconds(ulong seconds) =>
        seconds == 0 ? null
        : seconds > (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.MaxValue
        : DateTimeOffset.FromUnixTimeSeconds((long)seconds);
}
