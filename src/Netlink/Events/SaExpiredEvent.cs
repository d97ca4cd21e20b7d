using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>An SA reached a lifetime limit: soft means "rekey now", hard means the kernel removed it.</summary>
public sealed record SaExpiredEvent(SecurityAssociation Sa, bool Hard) : KernelEvent;
