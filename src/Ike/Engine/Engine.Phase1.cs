// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Informational;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// The life of an ISAKMP SA as the engine sees it: started, failed, established, removed; INITIAL-CONTACT's purge.
public sealed partial class Engine
{
    private IsakmpSaEntry? StartPhase1(IPEndPoint local, IPEndPoint peer, RemoteConfig remote)
    {
        var mode = remote.InitiatorMode;
        if (mode == ExchangeMode.Base)
        {
            EngineLog.BaseModeIsNotSupportedInitiating(Log, RacoonText.Endpoint(peer));
            mode = ExchangeMode.Main;
        }
        var entry = NewEntry(new IsakmpSa(true, mode, local, peer, remote, s.RandomCookie()));
        EngineLog.InitiateNewPhase1Negotiation(Log, RacoonText.Endpoint(local), RacoonText.Endpoint(peer));
        EngineLog.BeginMode(Log, entry.Exchange.ModeName);
        try
        {
            Emit(entry.Exchange.Start());
        }
        catch (ExchangeException f)
        {
            Emit(f.Done);
            EngineLog.ErrorMessage(Log, f.Message);
            EngineLog.Phase1NegotiationFailed(Log);
            Emit(new NegotiationFailed(NegotiationPhase.Phase1, local, peer, f.Message, null));
            entry.Dispose();
            return null;
        }
        sas.Add(entry);
        UpdateResend(entry);
        Touch(entry);
        return entry;
    }

    private void Phase1Failure(IsakmpSaEntry entry, ExchangeException f)
    {
        var sa = entry.Sa;
        EngineLog.ErrorMessage(Log, f.Message);
        Touch(entry);
        if (!f.Fatal)
        {
            entry.LastError = f.Message;
            return;
        }
        EngineLog.Phase1NegotiationFailed(Log);
        if (f.Notify is { } notify)
        {
            Emit(InformationalExchange.Unprotected(sa.Local, sa.Peer, sa.InitiatorCookie, sa.ResponderCookie, notify));
        }
        FailPhase1(entry, f.Message);
    }

    private void FailPhase1(IsakmpSaEntry entry, string reason)
    {
        var sa = entry.Sa;
        foreach (var acquire in entry.PendingAcquires)
        {
            var template = acquire.Policy.Templates.Count > 0 ? acquire.Policy.Templates[0] : null;
            EngineLog.Phase2TimeUpWaitingForPhase1(Log, template is null ? acquire.Remote.ToString() : $"{RacoonText.ProtocolName(template.Protocol)} {RacoonText.Endpoint(acquire.Remote, 0)}->{RacoonText.Endpoint(acquire.Local, 0)}");
            Emit(new NegotiationFailed(NegotiationPhase.Phase1, sa.Local, sa.Peer, reason, acquire));
        }
        if (entry.PendingAcquires.Count == 0)
        {
            Emit(new NegotiationFailed(NegotiationPhase.Phase1, sa.Local, sa.Peer, reason, null));
        }
        ClearPendingAcquires(entry);
        sa.State = IsakmpSaState.Dead;
        Drop(entry);
    }

    private void Phase1Established(IsakmpSaEntry entry)
    {
        var sa = entry.Sa;
        entry.EstablishedAt = Now;
        entry.ExpiresAt = Now + entry.Exchange.Lifetime;
        if (sa.PeerSupportsDpd && sa.Remote.DpdDelay > TimeSpan.Zero)
        {
            entry.Dpd.Next = Now + sa.Remote.DpdDelay;
        }
        if (sa.NatT.InUse && sa.NatT.WeBehindNat && s.Config.Timers.NattKeepalive > TimeSpan.Zero)
        {
            // racoon sends keepalives only from behind the NAT: only our side's mapping can time out.
            entry.NextKeepalive = Now + s.Config.Timers.NattKeepalive;
            Log.LogDebug("KA list add: {Local}->{Peer}", RacoonText.Endpoint(sa.Local), RacoonText.Endpoint(sa.Peer));
        }
        contacted.Add(sa.Peer.Address);
        if (entry.Exchange.PeerSentInitialContact)
        {
            PurgePeerSas(entry, includeThisPhase1: false);
        }
        // Phase1Up and the waiting ACQUIREs follow once XAuth and Mode Config are done (Engine.Transactions).
        StartTransaction(entry);
    }

    /// <summary>
    /// INITIAL-CONTACT or a dead peer: every other SA with this peer goes (racoon <c>isakmp_info_recv_initialcontact</c>);
    /// with <paramref name="includeThisPhase1"/> (the administrator's delete) the IPsec SAs made under <paramref name="keep"/> too.
    /// </summary>
    private void PurgePeerSas(IsakmpSaEntry keep, bool includeThisPhase1)
    {
        var peer = keep.Sa.Peer.Address;
        foreach (var entry in installed.WithPeer(peer).Where(i => (includeThisPhase1 || i.Phase1 != keep.Sa) && SameHost(i.Phase1, keep.Sa)).ToList())
        {
            PurgeInstalled(entry, tellPeer: false);
        }
        if (!includeThisPhase1)
        {
            foreach (var old in sas.WithPeer(peer).Where(s => s != keep && s.Sa.State == IsakmpSaState.Established && SameHost(s.Sa, keep.Sa)).ToList())
            {
                EngineLog.PurgedISAKMPSASpi(Log, old.Sa.Index);
                RemovePhase1(old, "purged by INITIAL-CONTACT");
            }
        }
    }

    /// <summary>
    /// One SA pair out of the kernel and the tables, with the policy generate_policy made for it when it was the
    /// last pair under that policy; the peer is told by a Delete when <paramref name="tellPeer"/> and its phase 1 is up.
    /// </summary>
    private void PurgeInstalled(InstalledSa entry, bool tellPeer)
    {
        installed.Remove(entry);
        ReleaseGeneratedPolicy(entry);
        var p = entry.Pair;
        if (tellPeer && entry.Phase1.State == IsakmpSaState.Established && p.Protocol != IpsecSaProtocol.IpComp)
        {
            Emit(InformationalExchange.DeleteIpsec(entry.Phase1, s, p.Protocol, p.InboundSpi));
        }
        Emit(new DeleteIpsecSa(p.Protocol, p.InboundSpi, p.RemoteAddress, p.LocalAddress));
        Emit(new DeleteIpsecSa(p.Protocol, p.OutboundSpi, p.LocalAddress, p.RemoteAddress));
        EngineLog.PurgedIPsecSAProtoIdSpi(Log, RacoonText.ProtocolName(p.Protocol), p.InboundSpi);
    }

    /// <summary>
    /// Whether two ISAKMP SAs are with the same host. Behind a NAT several hosts share one address and differ in
    /// their NAT-T port: one client's INITIAL-CONTACT or death must not take its neighbours' SAs.
    /// </summary>
    private static bool SameHost(IsakmpSa a, IsakmpSa b) =>
        a.Peer.Address.Equals(b.Peer.Address) && (!(a.NatT.PeerBehindNat || b.NatT.PeerBehindNat) || a.Peer.Port == b.Peer.Port);

    /// <summary>Tells the peer (when the SA is up) and removes the SA.</summary>
    private void DeletePhase1Entry(IsakmpSaEntry entry, string reason)
    {
        if (entry.Sa.State == IsakmpSaState.Established)
        {
            Emit(InformationalExchange.DeleteIsakmp(entry.Sa, s));
        }
        RemovePhase1(entry, reason);
    }

    private void RemovePhase1(IsakmpSaEntry entry, string reason)
    {
        var sa = entry.Sa;
        foreach (var qm in entry.QuickModes.Values.ToList())
        {
            FailQuickMode(entry, qm, $"phase2 negotiation failed: {reason}", null);
        }
        var wasUp = sa.State == IsakmpSaState.Established;
        sa.State = IsakmpSaState.Dead;
        ClearPendingAcquires(entry);
        Drop(entry);
        if (wasUp)
        {
            Emit(new Phase1Down(sa.Local, sa.Peer, sa.InitiatorCookie, sa.ResponderCookie, reason, DetailsOf(entry)));
        }
    }

    /// <summary>Out of the tables and the deadline queue, keys wiped.</summary>
    private void Drop(IsakmpSaEntry entry)
    {
        ReleaseLease(entry);
        sas.Remove(entry);
        entry.Scheduled = null;
        touched.Remove(entry);
        entry.Dispose();
    }
}
