using System.Threading.Channels;
using KernelIpsec.Keyd.AdminProtocol;

namespace KernelIpsec.Keyd.Admin;

/// <summary>
/// The racoonctl connections subscribed to events (show-event, admin protocol version 1) and what is queued
/// for each: at most <see cref="QueueLimit"/> messages (racoon's EVTLIST_MAX), the oldest dropped when a
/// reader falls behind, so a stalled racoonctl never holds the daemon's memory. Publish from the loop;
/// subscribers read from their own tasks.
/// </summary>
internal sealed class AdminEventHub
{
    public const int QueueLimit = 32;

    private readonly Lock gate = new();
    private readonly List<Channel<byte[]>> subscribers = [];
    private bool completed;

    public int Count
    {
        get
        {
            lock (gate)
                return subscribers.Count;
        }
    }

    /// <summary>A queue of pushed messages; it completes when the daemon stops.</summary>
    public Channel<byte[]> Subscribe()
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate)
        {
            if (completed)
                channel.Writer.TryComplete();
            else
                subscribers.Add(channel);
        }
        return channel;
    }

    public void Unsubscribe(Channel<byte[]> channel)
    {
        lock (gate)
            subscribers.Remove(channel);
    }

    public void Publish(EventDump evt)
    {
        var message = evt.ToMessage();
        lock (gate)
        {
            foreach (var subscriber in subscribers)
                subscriber.Writer.TryWrite(message);
        }
    }

    /// <summary>No more events: each subscriber gets what is queued, then its connection closes.</summary>
    public void Complete()
    {
        lock (gate)
        {
            completed = true;
            foreach (var subscriber in subscribers)
                subscriber.Writer.TryComplete();
            subscribers.Clear();
        }
    }
}
