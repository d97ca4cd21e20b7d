// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Informational;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// Informational messages: the exchange opens and verifies them and reports each payload; the engine acts on it.
public sealed partial class Engine : IInformationalHandler
{
    private void InformationalMessage(IPEndPoint local, IPEndPoint remote, IsakmpHeader h, byte[] bytes, string fingerprint)
    {
        var entry = sas.Find(h.InitiatorCookie, h.ResponderCookie, remote);
        if (!h.IsEncrypted)
        {
            // Unauthenticated: anyone could have sent it. Log what it says, act on nothing (weak_phase1_check off).
            // A broken payload chain is one more thing to log, not an internal error.
            string said;
            try
            {
                said = InformationalExchange.Describe(MessageCrypto.Open(h, bytes, bytes.AsSpan(IsakmpHeader.Size)));
            }
            catch (ExchangeException e)
            {
                said = $"malformed ({e.Message})";
            }
            if (MayLogAbout(remote))
            {
                EngineLog.IgnoreUnauthenticatedInformationalFrom(Log, RacoonText.Endpoint(remote), said);
            }
            if (entry is not null && entry.Sa.State == IsakmpSaState.Negotiating)
            {
                entry.LastError = $"the peer sent an unauthenticated {said}";
            }
            return;
        }
        if (entry is null || entry.Sa.State != IsakmpSaState.Established)
        {
            if (MayLogAbout(remote))
            {
                EngineLog.InformationalPacketFromIgnored(Log, entry is null ? "unknown ISAKMP-SA" : "ISAKMP-SA not established yet", RacoonText.Index(h.InitiatorCookie, h.ResponderCookie), RacoonText.Endpoint(remote));
            }
            return;
        }
        var sa = entry.Sa;
        InboundMessage message;
        try
        {
            var (plain, _) = MessageCrypto.Decrypt(h, bytes, sa.Keys!.Cipher, sa.Phase2Iv(h.MessageId));
            message = MessageCrypto.Open(h, bytes, plain);
            InformationalExchange.Verify(sa, message);
        }
        catch (ExchangeException f)
        {
            EngineLog.ErrorMessage(Log, f.Message);
            return;
        }
        received.Remember(fingerprint, null, Now);
        Touch(entry);
        FollowPeer(entry, local, remote);
        InformationalExchange.Receive(sa, message, this, Log);
    }

    void IInformationalHandler.AreYouThere(IsakmpSa sa, uint sequence) => Emit(InformationalExchange.Dpd(sa, s, ack: true, sequence));

    void IInformationalHandler.DpdAcknowledged(IsakmpSa sa, uint sequence)
    {
        if (EntryOf(sa) is { } entry && sequence == entry.Dpd.Outstanding)
        {
            entry.Dpd.Outstanding = null;
            entry.Dpd.Failures = 0;
            entry.Dpd.Next = Now + sa.Remote.DpdDelay;
            Touch(entry);
        }
    }

    void IInformationalHandler.InitialContact(IsakmpSa sa)
    {
        if (EntryOf(sa) is { } entry)
        {
            PurgePeerSas(entry, includeThisPhase1: false);
        }
    }

    void IInformationalHandler.IsakmpSaDeleted(IsakmpSa sa, ulong initiatorCookie, ulong responderCookie)
    {
        var target = sas.Find(initiatorCookie, responderCookie);
        if (target is not null && target.Sa.Peer.Address.Equals(sa.Peer.Address))
        {
            EngineLog.ISAKMPSADeletedSpi(Log, RacoonText.Endpoint(target.Sa.Local), RacoonText.Endpoint(target.Sa.Peer), target.Sa.Index);
            RemovePhase1(target, "deleted by the peer");
        }
    }

    void IInformationalHandler.IpsecSaDeleted(IsakmpSa sa, IpsecSaProtocol protocol, uint spi)
    {
        var entry = installed.FindOutbound(protocol, spi, sa.Peer.Address);
        if (entry is null)
        {
            EngineLog.DeleteForAnUnknownIPsecSA(Log, RacoonText.ProtocolName(protocol), spi);
            return;
        }
        installed.Remove(entry);
        ReleaseGeneratedPolicy(entry);
        var p = entry.Pair;
        Emit(new DeleteIpsecSa(p.Protocol, p.OutboundSpi, p.LocalAddress, p.RemoteAddress));
        Emit(new DeleteIpsecSa(p.Protocol, p.InboundSpi, p.RemoteAddress, p.LocalAddress));
        EngineLog.PurgedIPsecSAProtoIdSpi(Log, RacoonText.ProtocolName(p.Protocol), p.OutboundSpi);
    }

    private IsakmpSaEntry? EntryOf(IsakmpSa sa) => sas.Find(sa.InitiatorCookie, sa.ResponderCookie) is { } e && ReferenceEquals(e.Sa, sa) ? e : null;
}
