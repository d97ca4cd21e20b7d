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
    public IReadOnlyList<EngineIntent> HandleAcquire(AcquireRequest acquire, DateTimeOffset now)
    {
        Begin(now);
        Acquire(acquire);
        return Finish();
    }

    private void Acquire(AcquireRequest acquire)
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
        var remote = RemoteSelector.Select(s.Config.Remotes, new RemoteQuery { Peer = acquire.Remote });
        if (remote is null || remote.Passive)
        {
            var why = remote is null ? $"no configuration found for {acquire.Remote}." : $"because of passive mode, ignore the acquire message for {acquire.Remote}";
            EngineLog.ErrorWhy(Log, why);
            Emit(new NegotiationFailed(NegotiationPhase.Phase1, new IPEndPoint(acquire.Local, 500), new IPEndPoint(acquire.Remote, remote?.Port ?? 500), why, acquire));
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
