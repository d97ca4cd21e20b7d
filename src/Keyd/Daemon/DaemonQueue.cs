using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// The loop's inbox, in three lanes read in priority order: control (signals, timers, kernel events, racoonctl
/// requests: few, and they must not wait behind a flood), datagrams of running exchanges (a responder cookie is set),
/// and datagrams that would start a new negotiation (responder cookie zero: anyone can send those, unauthenticated).
/// The datagram lanes are bounded; when one is full the datagram is dropped at once, before any parsing or state, so
/// a flood costs a counter increment and memory stays bounded. Any thread may write; one loop reads.
/// </summary>
public sealed class DaemonQueue
{
    /// <summary>Bounds of the datagram lanes (enough for bursts of real peers; a flood beyond is dropped).</summary>
    public const int RunningExchangeCapacity = 4096;
    public const int NewNegotiationCapacity = 512;

    private readonly ConcurrentQueue<DaemonEvent> control = new();
    private readonly ConcurrentQueue<DaemonEvent> running = new();
    private readonly ConcurrentQueue<DaemonEvent> fresh = new();
    private readonly SemaphoreSlim available = new(0);
    private readonly int runningCapacity;
    private readonly int freshCapacity;
    private int runningCount;
    private int freshCount;
    private long dropped;
    private volatile bool completed;

    public DaemonQueue(int runningCapacity = RunningExchangeCapacity, int freshCapacity = NewNegotiationCapacity)
    {
        this.runningCapacity = runningCapacity;
        this.freshCapacity = freshCapacity;
    }

    /// <summary>Datagrams dropped because their lane was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Queues an event; a datagram whose lane is full is dropped (false).</summary>
    public bool Post(DaemonEvent daemonEvent)
    {
        if (daemonEvent is DatagramArrived arrived)
        {
            var isNew = StartsNegotiation(arrived.Datagram.Message);
            ref var count = ref isNew ? ref freshCount : ref runningCount;
            if (Interlocked.Increment(ref count) > (isNew ? freshCapacity : runningCapacity))
            {
                Interlocked.Decrement(ref count);
                Interlocked.Increment(ref dropped);
                return false;
            }
            (isNew ? fresh : running).Enqueue(daemonEvent);
        }
        else
        {
            control.Enqueue(daemonEvent);
        }
        available.Release();
        return true;
    }

    /// <summary>No more events: the reader gets null once the queue is empty.</summary>
    public void Complete()
    {
        completed = true;
        available.Release();
    }

    /// <summary>The next event, control first, then running exchanges, then new negotiations; null once completed and empty.</summary>
    public async ValueTask<DaemonEvent?> ReadAsync()
    {
        while (true)
        {
            await available.WaitAsync().ConfigureAwait(false);
            if (control.TryDequeue(out var next))
            {
                return next;
            }
            if (running.TryDequeue(out next))
            {
                Interlocked.Decrement(ref runningCount);
                return next;
            }
            if (fresh.TryDequeue(out next))
            {
                Interlocked.Decrement(ref freshCount);
                return next;
            }
            if (completed)
            {
                available.Release();
                return null;
            }
        }
    }

    /// <summary>An ISAKMP header with responder cookie zero (or too short to be one): the first message of a phase 1.</summary>
    public static bool StartsNegotiation(ReadOnlySpan<byte> message) =>
        message.Length < 16 || BinaryPrimitives.ReadUInt64BigEndian(message[8..16]) == 0;
}
