namespace KernelIpsec.Netlink.Events;

/// <summary>All policies were flushed.</summary>
public sealed record PoliciesFlushedEvent : KernelEvent;
