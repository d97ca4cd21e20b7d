namespace KernelIpsec.Netlink.Events;

/// <summary>
/// Events were lost (the kernel's queue overflowed, ENOBUFS): whoever mirrors kernel state should dump SAs
/// and policies again. The stream continues after this event.
/// </summary>
public sealed record ResyncRequiredEvent(string Reason) : KernelEvent;
