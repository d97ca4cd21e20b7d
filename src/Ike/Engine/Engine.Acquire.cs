// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// The kernel's ACQUIRE (and a rekey, which is one): a quick mode under the peer's ISAKMP SA, or a phase 1 first.
public sealed partial class Engine
{
    /// <summary>
    /// The kernel's ACQUIRE, or (<paramref name="administrator"/>) racoonctl establish-sa esp|ah. As racoon's
    /// isakmp_post_acquire: for the kernel the remote section is chosen among the sections without `passive on` only,
    /// before any ISAKMP SA is looked at, so the ACQUIREs for a passive peer are never acted upon, not even while the
    /// peer's own phase 1 is up (the configuration in force decides: a reload turning `passive on` applies at once).
    /// The administrator's request and rekeys use the peer's section whatever it says.
    /// </summary>
    public IReadOnlyList<EngineIntent> HandleAcquire(AcquireRequest acquire, DateTimeOffset now, bool administrator = false)
    {
        Begin(now);
        RemoteConfig? active = null;
        if (!administrator)
        {
            active = RemoteSelector.Select(s.Config.Remotes, new RemoteQuery { Peer = acquire.Remote, ExcludePassive = true });
            if (active is null)
            {
                var why = $"no configuration found for {acquire.Remote}.";
                EngineLog.ErrorWhy(Log, why);
                Emit(new NegotiationFailed(NegotiationPhase.Phase1, new IPEndPoint(acquire.Local, 500), new IPEndPoint(acquire.Remote, 500), why, acquire));
                return Finish();
            }
        }
        Acquire(acquire, active);
        return Finish();
    }

    /// <param name="chosen">The remote section for a new phase 1, when the caller chose it already.</param>
    private void Acquire(AcquireRequest acquire, RemoteConfig? chosen = null)
    {
        if (this.negotiating.InUse(acquire.Policy))
        {
            EngineLog.IgnoreTheAcquireBecausePh2Found(Log);
            return;
        }
        var withPeer = sas.WithPeer(acquire.Remote);
        var established = withPeer.FirstOrDefault(e => e.Sa.State == IsakmpSaState.Established);
        if (established is not null)
        {
            if (established.Transaction is { Completed: false })
            {
                // XAuth / Mode Config still running: the quick mode waits for them, as for phase 1.
                AddPendingAcquire(established, acquire);
                return;
            }
            StartQuickMode(established, acquire);
            return;
        }
        var negotiating = withPeer.FirstOrDefault(e => e.Sa.State == IsakmpSaState.Negotiating);
        if (negotiating is not null)
        {
            AddPendingAcquire(negotiating, acquire);
            return;
        }
        var remote = chosen ?? RemoteSelector.Select(s.Config.Remotes, new RemoteQuery { Peer = acquire.Remote });
        if (remote is null)
        {
            var why = $"no configuration found for {acquire.Remote}.";
            EngineLog.ErrorWhy(Log, why);
            Emit(new NegotiationFailed(NegotiationPhase.Phase1, new IPEndPoint(acquire.Local, 500), new IPEndPoint(acquire.Remote, 500), why, acquire));
            return;
        }
        EngineLog.AcquireQueued(Log, acquire.Remote);
        if (StartPhase1(new IPEndPoint(acquire.Local, 500), new IPEndPoint(acquire.Remote, remote.Port), remote) is { } started)
        {
            AddPendingAcquire(started, acquire);
        }
    }

    private void AddPendingAcquire(IsakmpSaEntry entry, AcquireRequest acquire)
    {
        entry.PendingAcquires.Add(acquire);
        negotiating.Add(acquire.Policy);
    }

    private void ClearPendingAcquires(IsakmpSaEntry entry)
    {
        foreach (var acquire in entry.PendingAcquires)
        {
            negotiating.Remove(acquire.Policy);
        }
        entry.PendingAcquires.Clear();
    }
}
