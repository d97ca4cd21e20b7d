namespace KernelIpsec.Ike.Config;

/// <summary>`privsep { user; group; chroot; }`: user/group as written (name or number).</summary>
public sealed record PrivsepConfig(string? User, string? Group, string? Chroot);
