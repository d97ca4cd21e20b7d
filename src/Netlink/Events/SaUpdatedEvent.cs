using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>An SA was updated (by anyone: this process, another tool, or the kernel).</summary>
public sealed record SaUpdatedEvent(SecurityAssociation Sa) : KernelEvent;
