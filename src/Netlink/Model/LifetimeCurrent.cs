namespace KernelIpsec.Netlink.Model;

/// <summary>
/// What the kernel counted for an installed SA or policy (read back only; ignored when installing).
/// </summary>
/// <param name="Bytes">Bytes processed.</param>
/// <param name="Packets">Packets processed.</param>
/// <param name="Added">When the entry was installed.</param>
/// <param name="LastUsed">When it was first used, null if never.</param>
public sealed record LifetimeCurrent(ulong Bytes, ulong Packets, DateTimeOffset? Added, DateTimeOffset? LastUsed);
