using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>A policy was updated (by anyone: this process, another tool, or the kernel).</summary>
public sealed record PolicyUpdatedEvent(SecurityPolicy Policy) : KernelEvent;
