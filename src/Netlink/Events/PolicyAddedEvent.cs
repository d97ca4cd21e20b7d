using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>A policy was added (by anyone: this process, another tool, or the kernel).</summary>
public sealed record PolicyAddedEvent(SecurityPolicy Policy) : KernelEvent;
