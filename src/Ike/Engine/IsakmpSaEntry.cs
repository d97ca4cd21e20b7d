using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Exchanges.Phase2;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// What the engine keeps about one ISAKMP SA besides the SA itself: the phase 1 exchange building it, its timers
/// (resend, negotiation deadline, lifetime, DPD), the quick modes running under it and the ACQUIREs waiting for it.
/// </summary>
internal sealed class IsakmpSaEntry : IDisposable
{
    public IsakmpSaEntry(IsakmpSa sa, Phase1Exchange exchange, long sequence, DateTimeOffset negotiationDeadline)
    {
        Sa = sa;
        Exchange = exchange;
        Sequence = sequence;
        NegotiationDeadline = negotiationDeadline;
    }

    public IsakmpSa Sa { get; }

    /// <summary>Main or aggressive mode (kept after establishment for its name in racoonctl's list).</summary>
    public Phase1Exchange Exchange { get; }

    /// <summary>Creation order: lists and timers go through SAs in the order they were made.</summary>
    public long Sequence { get; }

    public Retransmission? Resend { get; set; }
    public DateTimeOffset NegotiationDeadline { get; }
    public DateTimeOffset? EstablishedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Why the last message was refused, for the timeout's reason.</summary>
    public string? LastError { get; set; }

    public DpdState Dpd { get; } = new();

    /// <summary>When the next NAT-T keepalive goes out (we are behind a NAT; null: none).</summary>
    public DateTimeOffset? NextKeepalive { get; set; }

    /// <summary>XAuth and Mode Config after phase 1 (set when phase 1 is established), and its resend.</summary>
    public Exchanges.Transaction.TransactionExchange? Transaction { get; set; }

    public Retransmission? TransactionResend { get; set; }

    /// <summary>Phase1Up was emitted (once XAuth and Mode Config were done, as racoon runs phase1_up).</summary>
    public bool Phase1UpSent { get; set; }

    /// <summary>Quick modes running under this SA, by message id.</summary>
    public Dictionary<uint, QuickMode> QuickModes { get; } = [];

    /// <summary>Message ids of every quick mode run under this SA: a replayed first message must not start another one.</summary>
    public HashSet<uint> UsedMessageIds { get; } = [];

    /// <summary>Kernel requests waiting for this SA to be established.</summary>
    public List<AcquireRequest> PendingAcquires { get; } = [];

    /// <summary>The deadline this entry is queued under in the engine's <see cref="DeadlineQueue{T}"/> (null: none).</summary>
    public DateTimeOffset? Scheduled { get; set; }

    /// <summary>The earliest time anything of this SA needs the timer.</summary>
    public DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? t)
        {
            if (t is { } v && (next is null || v < next))
            {
                next = v;
            }
        }
        if (Sa.State == IsakmpSaState.Negotiating)
        {
            Consider(NegotiationDeadline);
            Consider(Resend?.NextDue);
        }
        else
        {
            Consider(ExpiresAt);
            Consider(Dpd.Next);
            Consider(NextKeepalive);

            if (Transaction is { Completed: false } tx)
            {
                Consider(tx.Deadline);
                Consider(TransactionResend?.NextDue);
            }
        }
        foreach (var qm in QuickModes.Values)
        {
            Consider(qm.Deadline);
            Consider(qm.Resend?.NextDue);
        }
        return next;
    }

    public void Dispose()
    {
        Exchange.Dispose();
        Sa.Dispose();
    }
}
