using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Netlink.Events;

/// <summary>SAs were flushed: all of them (<paramref name="Protocol"/> null) or those of one protocol.</summary>
public sealed record SasFlushedEvent(IpsecProtocol? Protocol) : KernelEvent;
