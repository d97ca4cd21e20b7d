using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>An SA was deleted (by anyone: this process, another tool, or the kernel).</summary>
public sealed record SaDeletedEvent(SecurityAssociation Sa) : KernelEvent;
