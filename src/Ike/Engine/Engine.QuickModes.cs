// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Informational;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Exchanges.Phase2;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// Quick modes: started for an ACQUIRE or by the peer, fed their messages and SPIs, finished into installed SAs.
public sealed partial class Engine
{
    /// <summary>The first message of a responder's quick mode, whose answer exists only once the SPIs are allocated.</summary>
    private readonly Dictionary<QuickMode, string> quickModeFingerprints = [];

    public IReadOnlyList<EngineIntent> HandleSpiAllocated(SpiAllocation allocation, DateTimeOffset now)
    {
        Begin(now);
        if (!spiRequests.Remove(allocation.RequestId, out var owner))
        {
            EngineLog.SpiAllocationUnclaimed(Log, allocation.RequestId);
            return Finish();
        }
        var (entry, qm) = owner;
        Touch(entry);
        try
        {
            Emit(qm.SpiAllocated(allocation));
            CollectQuickMode(entry, qm);
        }
        catch (ExchangeException f)
        {
            Emit(f.Done);
            FailQuickMode(entry, qm, f.Message, f.Notify);
        }
        return Finish();
    }

    private void StartQuickMode(IsakmpSaEntry entry, AcquireRequest acquire)
    {
        var sa = entry.Sa;
        var sainfo = SainfoSelector.Select(s.Config.Sainfos, new SainfoQuery
        {
            Local = Selectors.ToSainfoId(acquire.Policy.Local),
            Remote = Selectors.ToSainfoId(acquire.Policy.Remote),
            RemoteIdNumber = sa.Remote.Ph1Id,
            PeerIdentityMatches = sa.PeerId is { } pid ? c => Identities.Matches(pid, c, sa.Peer.Address) : null,
        });
        if (sainfo is null)
        {
            var why = $"failed to get sainfo for {acquire.Policy.Local} <=> {acquire.Policy.Remote}.";
            EngineLog.ErrorWhy(Log, why);
            Emit(new NegotiationFailed(NegotiationPhase.Phase2, sa.Local, sa.Peer, why, acquire));
            return;
        }
        var (qm, intents) = QuickMode.Initiate(sa, s, acquire, sainfo, () => ++nextRequestId);
        Emit(intents);
        AddQuickMode(entry, qm);
    }

    private void AddQuickMode(IsakmpSaEntry entry, QuickMode qm)
    {
        entry.QuickModes[qm.MessageId] = qm;
        entry.UsedMessageIds.Add(qm.MessageId);
        if (qm.IsInitiator)
        {
            negotiating.Add(qm.Policy);
        }
        foreach (var id in qm.SpiRequestIds)
        {
            spiRequests[id] = (entry, qm);
        }
        Touch(entry);
    }

    private void RemoveQuickMode(IsakmpSaEntry entry, QuickMode qm)
    {
        if (entry.QuickModes.Remove(qm.MessageId) && qm.IsInitiator)
        {
            negotiating.Remove(qm.Policy);
        }
        quickModeFingerprints.Remove(qm);
        Touch(entry);
    }

    private void QuickModeMessage(IPEndPoint local, IPEndPoint remote, IsakmpHeader h, byte[] bytes, string fingerprint)
    {
        var entry = sas.Find(h.InitiatorCookie, h.ResponderCookie, remote);
        if (entry is null || entry.Sa.State != IsakmpSaState.Established)
        {
            if (MayLogAbout(remote))
            {
                EngineLog.QuickModePacketFromIgnored(Log, entry is null ? "unknown ISAKMP-SA" : "ISAKMP-SA not established yet", RacoonText.Index(h.InitiatorCookie, h.ResponderCookie), RacoonText.Endpoint(remote));
            }
            return;
        }
        var sa = entry.Sa;
        if (!h.IsEncrypted)
        {
            EngineLog.QuickModeNotEncrypted(Log, RacoonText.Endpoint(remote));
            return;
        }
        entry.QuickModes.TryGetValue(h.MessageId, out var qm);
        if (qm is null && RefusesPhase2(entry, remote))
        {
            return;
        }
        if (qm is null && entry.UsedMessageIds.Contains(h.MessageId))
        {
            EngineLog.QuickModeReplayed(Log, h.MessageId, RacoonText.Endpoint(remote));
            return;
        }
        Touch(entry);
        try
        {
            var iv = qm?.Iv ?? sa.Phase2Iv(h.MessageId);
            var (plain, nextIv) = MessageCrypto.Decrypt(h, bytes, sa.Keys!.Cipher, iv);
            var message = MessageCrypto.Open(h, bytes, plain);
            if (qm is null)
            {
                // QuickMode.Respond checks HASH(1) first: only a message that proves itself moves the peer.
                var (responder, intents) = QuickMode.Respond(sa, s, message, nextIv, () => ++nextRequestId);
                FollowPeer(entry, local, remote);
                Emit(intents);
                AddQuickMode(entry, responder);
                received.Remember(fingerprint, null, Now);
                quickModeFingerprints[responder] = fingerprint;
                return;
            }
            var before = qm.LastSent;
            var handled = qm.Handle(message, nextIv);
            FollowPeer(entry, local, remote);
            Emit(handled);
            received.Remember(fingerprint, ReferenceEquals(before, qm.LastSent) ? null : qm.LastSent, Now);
            CollectQuickMode(entry, qm);
        }
        catch (ExchangeException f)
        {
            Emit(f.Done);
            if (qm is null || !f.Fatal)
            {
                EngineLog.ErrorMessage(Log, f.Message);
                if (qm is not null)
                {
                    qm.LastError = f.Message;
                }
                else if (f.Fatal)
                {
                    EngineLog.Phase2NegotiationFailed(Log);
                    if (f.Notify is { } notify)
                    {
                        Emit(InformationalExchange.Phase2Error(sa, s, notify));
                    }
                }
                return;
            }
            FailQuickMode(entry, qm, f.Message, f.Notify);
        }
    }

    private void CollectQuickMode(IsakmpSaEntry entry, QuickMode qm)
    {
        if (quickModeFingerprints.TryGetValue(qm, out var first) && qm.LastSent is { } answer && qm.State != QuickMode.Step.AwaitSpi)
        {
            received.SetAnswer(first, answer);
            quickModeFingerprints.Remove(qm);
        }
        if (qm.State != QuickMode.Step.Done)
        {
            return;
        }
        RemoveQuickMode(entry, qm);
        foreach (var pair in qm.Installed)
        {
            var previous = installed.ForPolicy(qm.Policy).FirstOrDefault(i => i.Rekeying && i.Pair.Protocol == pair.Protocol);
            if (previous is not null)
            {
                previous.Rekeying = false;
                previous.Replaced = true;
            }
            installed.Add(new InstalledSa(pair, entry.Sa, qm.IsInitiator, qm.Policy, qm.Sainfo, qm.Acquire));
        }
        qm.Dispose();
    }

    private void FailQuickMode(IsakmpSaEntry entry, QuickMode qm, string reason, NotifyType? notify, bool timedOut = false)
    {
        var sa = entry.Sa;
        EngineLog.ErrorReason(Log, reason);
        if (!timedOut)
        {
            EngineLog.Phase2NegotiationFailed(Log);
        }
        if (notify is { } n && sa.State == IsakmpSaState.Established)
        {
            Emit(InformationalExchange.Phase2Error(sa, s, n));
        }
        qm.Fail();
        RemoveQuickMode(entry, qm);
        foreach (var id in qm.SpiRequestIds.ToList())
        {
            spiRequests.Remove(id);
        }
        Emit(new NegotiationFailed(NegotiationPhase.Phase2, sa.Local, sa.Peer, reason, qm.Acquire));
        qm.Dispose();
    }
}
