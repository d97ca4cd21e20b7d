using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>An SA was added (by anyone: this process, another tool, or the kernel).</summary>
public sealed record SaAddedEvent(SecurityAssociation Sa) : KernelEvent;
