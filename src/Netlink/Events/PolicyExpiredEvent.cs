using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>A policy reached a lifetime limit (soft, or hard: removed).</summary>
public sealed record PolicyExpiredEvent(SecurityPolicy Policy, bool Hard) : KernelEvent;
