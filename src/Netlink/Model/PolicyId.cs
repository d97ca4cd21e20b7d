namespace KernelIpsec.Netlink.Model;

/// <summary>What identifies a policy for get and delete: selector, direction and security context.</summary>
public sealed record PolicyId(Selector Selector, PolicyDirection Direction, SecurityContext? SecurityContext = null)
{
    public override string ToString() => $"{Selector} dir {Direction.ToString().ToLowerInvariant()}" + (SecurityContext is null ? "" : $" ctx {SecurityContext}");
}
