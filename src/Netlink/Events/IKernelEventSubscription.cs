namespace KernelIpsec.Netlink.Events;

/// <summary>
/// Kernel events from the moment of subscription on; enumerate it once. Disposing it stops listening
/// (and ends a running enumeration).
/// </summary>
public interface IKernelEventSubscription : IAsyncEnumerable<KernelEvent>, IAsyncDisposable;
