using System.Net;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// Rate limit for the warnings a stranger's junk causes (invalid packet, unknown SA, unsupported exchange ...): at most
/// <c>burst</c> lines per source address per window; the rest are counted and reported in one line when the source
/// next gets to log. A flood of 200,000 junk datagrams then writes a few lines per source and window, not 30 MB.
/// The table is bounded: when it is full, sources whose window is over go first, then everything.
/// </summary>
internal sealed class SourceLogLimiter
{
    private readonly int burst;
    private readonly TimeSpan window;
    private readonly int capacity;
    private readonly Dictionary<IPAddress, Entry> sources = [];

    public SourceLogLimiter(int burst, TimeSpan window, int capacity)
    {
        this.burst = burst;
        this.window = window;
        this.capacity = capacity;
    }

    /// <summary>Whether a line about <paramref name="source"/> may be logged now; <paramref name="suppressed"/> is how many were held back before it.</summary>
    public bool Allow(IPAddress source, DateTimeOffset now, out int suppressed)
    {
        suppressed = 0;
        if (!sources.TryGetValue(source, out var entry) || now - entry.Start >= window)
        {
            if (entry is null && sources.Count >= capacity)
            {
                Evict(now);
            }
            var held = entry?.Suppressed ?? 0;
            entry = new Entry { Start = now };
            sources[source] = entry;
            suppressed = held;
        }
        if (entry.Logged < burst)
        {
            entry.Logged++;
            return true;
        }
        entry.Suppressed++;
        return false;
    }

    private void Evict(DateTimeOffset now)
    {
        foreach (var (address, e) in sources.ToList())
        {
            if (now - e.Start >= window)
            {
                sources.Remove(address);
            }
        }
        if (sources.Count >= capacity)
        {
            sources.Clear();
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset Start { get; init; }
        public int Logged { get; set; }
        public int Suppressed { get; set; }
    }
}
