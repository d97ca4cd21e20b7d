namespace KernelIpsec.Ike.Engine;

/// <summary>
/// Deadlines of many owners in a priority queue with lazy deletion: moving an owner's deadline enqueues it again and
/// the old element is skipped when it surfaces (<paramref name="current"/> of the owner no longer equals it). Each
/// change costs O(log n), finding what is due O(k log n) for k due owners: nothing is scanned.
/// </summary>
internal sealed class DeadlineQueue<T> where T : class
{
    private readonly PriorityQueue<T, DateTimeOffset> queue = new();
    private readonly Func<T, DateTimeOffset?> current;

    /// <param name="current">The deadline an owner is scheduled under now, or null when it left the queue.</param>
    public DeadlineQueue(Func<T, DateTimeOffset?> current) => this.current = current;

    public void Enqueue(T owner, DateTimeOffset due) => queue.Enqueue(owner, due);

    /// <summary>The earliest live deadline, dropping stale elements on the way.</summary>
    public DateTimeOffset? Peek()
    {
        while (queue.TryPeek(out var owner, out var due))
        {
            if (current(owner) == due)
            {
                return due;
            }
            queue.Dequeue();
        }
        return null;
    }

    /// <summary>Removes and returns the next live owner due at or before <paramref name="now"/>.</summary>
    public bool TryDequeueDue(DateTimeOffset now, out T owner)
    {
        while (Peek() is { } due && due <= now)
        {
            owner = queue.Dequeue();
            return true;
        }
        owner = null!;
        return false;
    }

    public int Count => queue.Count;
}
