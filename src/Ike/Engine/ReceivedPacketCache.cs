using System.Security.Cryptography;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// racoon's <c>check_recvdpkt</c>: remembers a hash of every datagram an exchange processed together
/// with what was sent in answer. The same datagram again (the peer lost our answer and resent) gets the
/// same answer again and changes nothing. Entries live as long as a retransmitting peer could resend.
/// </summary>
internal sealed class ReceivedPacketCache
{
    private const int MaxEntries = 4096;
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    // Every entry lives equally long and time does not go back, so insertion order is expiry order: the oldest is at
    // the front. A key remembered again leaves a stale element behind, skipped when it surfaces.
    private readonly Queue<(string Fingerprint, Entry Entry)> byAge = new();
    private readonly TimeSpan lifetime;

    public ReceivedPacketCache(TimeSpan lifetime) => this.lifetime = lifetime;

    public static string Fingerprint(ReadOnlySpan<byte> datagram) => Convert.ToHexString(SHA256.HashData(datagram));

    /// <summary>True when this datagram was seen before; <paramref name="answer"/> is what we sent for it (may be null).</summary>
    public bool TryGet(string fingerprint, DateTimeOffset now, out byte[]? answer, out int timesSeen)
    {
        if (entries.TryGetValue(fingerprint, out var entry) && entry.Expires > now)
        {
            entry.TimesSeen++;
            answer = entry.Answer;
            timesSeen = entry.TimesSeen;
            return true;
        }
        answer = null;
        timesSeen = 0;
        return false;
    }

    public void Remember(string fingerprint, byte[]? answer, DateTimeOffset now)
    {
        if (entries.Count >= MaxEntries)
        {
            Sweep(now);
            while (entries.Count >= MaxEntries && byAge.TryDequeue(out var oldest))
            {
                RemoveIfCurrent(oldest);
            }
        }
        var entry = new Entry { Answer = answer, Expires = now + lifetime };
        entries[fingerprint] = entry;
        byAge.Enqueue((fingerprint, entry));
    }

    /// <summary>Attach the answer once it exists (an answer can come later, e.g. after SPI allocation).</summary>
    public void SetAnswer(string fingerprint, byte[] answer)
    {
        if (entries.TryGetValue(fingerprint, out var entry))
        {
            entry.Answer = answer;
        }
    }

    public void Sweep(DateTimeOffset now)
    {
        while (byAge.TryPeek(out var oldest) && (oldest.Entry.Expires <= now || !IsCurrent(oldest)))
        {
            byAge.Dequeue();
            RemoveIfCurrent(oldest);
        }
    }

    private bool IsCurrent((string Fingerprint, Entry Entry) element) =>
        entries.TryGetValue(element.Fingerprint, out var current) && ReferenceEquals(current, element.Entry);

    private void RemoveIfCurrent((string Fingerprint, Entry Entry) element)
    {
        if (IsCurrent(element))
        {
            entries.Remove(element.Fingerprint);
        }
    }

    private sealed class Entry
    {
        public byte[]? Answer { get; set; }
        public DateTimeOffset Expires { get; init; }
        public int TimesSeen { get; set; }
    }
}
