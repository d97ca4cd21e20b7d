// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Informational;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// The timer: only the SAs whose deadline has come (from the deadline queue) are looked at.
public sealed partial class Engine
{
    public IReadOnlyList<EngineIntent> HandleTimer(DateTimeOffset now)
    {
        Begin(now);
        // The daemon's timer has fired: whatever is next must be armed again.
        armed = null;
        var due = new List<IsakmpSaEntry>();
        while (deadlines.TryDequeueDue(now, out var entry))
        {
            entry.Scheduled = null;
            due.Add(entry);
        }
        // In creation order, as racoon walks its list: what one SA's timeout does to another is then as before.
        due.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var entry in due)
        {
            if (!sas.Contains(entry))
            {
                continue;
            }
            Touch(entry);
            if (entry.Sa.State == IsakmpSaState.Negotiating)
            {
                Phase1Timers(entry, now);
            }
            else if (entry.Sa.State == IsakmpSaState.Established)
            {
                EstablishedTimers(entry, now);
            }
            if (entry.Sa.State == IsakmpSaState.Dead)
            {
                continue;
            }
            QuickModeTimers(entry, now);
        }
        received.Sweep(now);
        return Finish();
    }

    private void Phase1Timers(IsakmpSaEntry entry, DateTimeOffset now)
    {
        var sa = entry.Sa;
        var exhausted = entry.Resend is { } r && r.Exhausted && now >= r.NextDue;
        if (now >= entry.NegotiationDeadline || exhausted)
        {
            var reason = $"phase1 negotiation failed due to time up. {sa.Index}{(entry.LastError is null ? "" : $" (last error: {entry.LastError})")}";
            EngineLog.ErrorReason(Log, reason);
            FailPhase1(entry, reason);
            return;
        }
        if (entry.Resend is { } resend && now >= resend.NextDue && resend.Fire(now) is var copies and > 0)
        {
            EngineLog.ResendPhase1Packet(Log, sa.Index);
            SendCopies(sa, resend.Datagram, copies);
        }
    }

    private void EstablishedTimers(IsakmpSaEntry entry, DateTimeOffset now)
    {
        var sa = entry.Sa;
        if (!TransactionTimers(entry, now))
        {
            return;
        }
        if (entry.ExpiresAt is { } expires && now >= expires)
        {
            EngineLog.ISAKMPSAExpiredSpi(Log, RacoonText.Endpoint(sa.Local), RacoonText.Endpoint(sa.Peer), sa.Index);
            Emit(InformationalExchange.DeleteIsakmp(sa, s));
            RemovePhase1(entry, "ISAKMP-SA expired");
            return;
        }
        if (entry.NextKeepalive is { } keepalive && now >= keepalive)
        {
            // RFC 3948 2.3: one 0xFF byte from our NAT-T port keeps the NAT's mapping for us alive.
            Emit(new SendNatKeepalive(sa.Local, sa.Peer));
            entry.NextKeepalive = now + s.Config.Timers.NattKeepalive;
        }
        var dpd = entry.Dpd;
        if (dpd.Next is { } next && now >= next)
        {
            if (dpd.Outstanding is not null)
            {
                dpd.Failures++;
                if (dpd.Failures >= sa.Remote.DpdMaxFail)
                {
                    EngineLog.DpdPeerDead(Log, sa.Index);
                    PurgePeerSas(entry, includeThisPhase1: true);
                    RemovePhase1(entry, "DPD: peer seems to be dead");
                    return;
                }
            }
            dpd.Sequence++;
            dpd.Outstanding = dpd.Sequence;
            Emit(InformationalExchange.Dpd(sa, s, ack: false, dpd.Sequence));
            dpd.Next = now + sa.Remote.DpdRetry;
        }
    }

    private void QuickModeTimers(IsakmpSaEntry entry, DateTimeOffset now)
    {
        foreach (var qm in entry.QuickModes.Values.ToList())
        {
            if (now >= qm.Deadline || (qm.Resend is { } r && r.Exhausted && now >= r.NextDue))
            {
                FailQuickMode(entry, qm, $"phase2 negotiation failed due to time up. {qm.Index}{(qm.LastError is null ? "" : $" (last error: {qm.LastError})")}", null, timedOut: true);
            }
            else if (qm.Resend is { } resend && now >= resend.NextDue && resend.Fire(now) is var copies and > 0)
            {
                EngineLog.ResendPhase2Packet(Log, qm.Index);
                SendCopies(entry.Sa, resend.Datagram, copies);
            }
        }
    }

    private void SendCopies(IsakmpSa sa, byte[] datagram, int copies)
    {
        for (var i = 0; i < copies; i++)
        {
            Emit(new SendDatagram(sa.Local, sa.Peer, datagram));
        }
    }
}
