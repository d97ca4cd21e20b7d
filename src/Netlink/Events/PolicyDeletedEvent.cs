using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>A policy was deleted (by anyone: this process, another tool, or the kernel).</summary>
public sealed record PolicyDeletedEvent(SecurityPolicy Policy) : KernelEvent;
