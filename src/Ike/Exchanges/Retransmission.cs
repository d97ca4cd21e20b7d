using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// The last message an exchange sent and when to send it again, as racoon's timer block says:
/// <c>counter</c> resends, <c>interval</c> apart, <c>persend</c> copies each time
/// (racoon <c>isakmp_ph1resend</c>/<c>isakmp_ph2resend</c>). Pure: the engine asks it what is due.
/// </summary>
internal sealed class Retransmission
{
    private readonly RetransmitSettings settings;

    public Retransmission(RetransmitSettings settings, byte[] datagram, DateTimeOffset now)
    {
        this.settings = settings;
        Datagram = datagram;
        NextDue = now + settings.Interval;
    }

    /// <summary>The bytes to send again (already encrypted: a resend is byte-identical, RFC 2408 5.x).</summary>
    public byte[] Datagram { get; }

    /// <summary>How many times the message was sent again so far.</summary>
    public int Resends { get; private set; }

    public DateTimeOffset NextDue { get; private set; }

    /// <summary>True when every resend allowed by <c>counter</c> is spent.</summary>
    public bool Exhausted => Resends >= settings.Counter;

    /// <summary>
    /// Called when <see cref="NextDue"/> has passed: returns how many copies to send now, or 0 when
    /// the counter is spent (the exchange then fails with a timeout).
    /// </summary>
    public int Fire(DateTimeOffset now)
    {
        if (now < NextDue || Exhausted)
        {
            return 0;
        }
        Resends++;
        NextDue = now + settings.Interval;
        return settings.PerSend;
    }
}
