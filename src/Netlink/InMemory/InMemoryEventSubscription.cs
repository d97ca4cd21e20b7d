using System.Threading.Channels;
using KernelIpsec.Netlink.Events;

namespace KernelIpsec.Netlink.InMemory;

/// <summary>One listener of an <see cref="InMemoryKernel"/>: an unbounded queue of the events published after it subscribed.</summary>
internal sealed class InMemoryEventSubscription : IKernelEventSubscription
{
    private readonly Channel<KernelEvent> channel = Channel.CreateUnbounded<KernelEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<InMemoryEventSubscription> unsubscribe;

    public InMemoryEventSubscription(Action<InMemoryEventSubscription> unsubscribe) => this.unsubscribe = unsubscribe;

    public void Publish(KernelEvent e) => channel.Writer.TryWrite(e);

    public async IAsyncEnumerator<KernelEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (channel.Reader.TryRead(out var e))
                yield return e;
        }
    }

    public ValueTask DisposeAsync()
    {
        unsubscribe(this);
        channel.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
