namespace KernelIpsec.Netlink.Model;

/// <summary>
/// One set of lifetime limits (soft or hard). Zero means "no limit" in every field, as in PF_KEY;
/// the XFRM backend turns it into <c>XFRM_INF</c> for byte and packet counts.
/// </summary>
/// <param name="Bytes">Bytes processed before the SA expires.</param>
/// <param name="Packets">Packets processed before the SA expires (setkey shows this as "allocated").</param>
/// <param name="AddSeconds">Seconds after installation (setkey <c>-lh</c>/<c>-ls</c>).</param>
/// <param name="UseSeconds">Seconds after first use.</param>
public sealed record LifetimeLimits(ulong Bytes = 0, ulong Packets = 0, ulong AddSeconds = 0, ulong UseSeconds = 0)
{
    public static readonly LifetimeLimits Unlimited = new();

    public bool IsUnlimited => Bytes == 0 && Packets == 0 && AddSeconds == 0 && UseSeconds == 0;
}
