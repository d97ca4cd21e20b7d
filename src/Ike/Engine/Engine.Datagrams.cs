// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Informational;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// A datagram: checked, matched against the packets already answered, routed by exchange type to its SA's exchange.
public sealed partial class Engine
{
    public IReadOnlyList<EngineIntent> HandleDatagram(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram, DateTimeOffset now)
    {
        Begin(now);
        var bytes = datagram.ToArray();
        var header = IsakmpHeader.Read(bytes);
        if (!header.TryGetValue(out var h, out var error))
        {
            if (MayLogAbout(remote))
            {
                EngineLog.InvalidISAKMPPacketFrom(Log, RacoonText.Endpoint(remote), error.Message);
            }
            return Finish();
        }
        if (h.Length != bytes.Length)
        {
            if (MayLogAbout(remote))
            {
                EngineLog.PacketLengthMismatchFromHeaderSays(Log, RacoonText.Endpoint(remote), h.Length, bytes.Length);
            }
            return Finish();
        }
        var fingerprint = ReceivedPacketCache.Fingerprint(bytes);
        if (received.TryGet(fingerprint, now, out var answer, out var times))
        {
            if (MayLogAbout(remote))
            {
                EngineLog.ThePacketIsRetransmittedBy(Log, RacoonText.Endpoint(remote), times);
            }
            if (answer is not null)
            {
                for (var i = 0; i < s.Timers.PerSend; i++)
                {
                    Emit(new SendDatagram(local, remote, answer));
                }
            }
            return Finish();
        }
        try
        {
            switch (h.Exchange)
            {
                case ExchangeType.IdentityProtection or ExchangeType.Aggressive:
                    Phase1Message(local, remote, h, bytes, fingerprint);
                    break;
                case ExchangeType.QuickMode:
                    QuickModeMessage(local, remote, h, bytes, fingerprint);
                    break;
                case ExchangeType.Informational:
                    InformationalMessage(local, remote, h, bytes, fingerprint);
                    break;
                case ExchangeType.Transaction:
                    TransactionMessage(remote, h, bytes, fingerprint);
                    break;
                default:
                    if (MayLogAbout(remote))
                    {
                        EngineLog.UnsupportedExchangeFrom(Log, (byte)h.Exchange, RacoonText.Endpoint(remote));
                    }
                    break;
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            // A packet must never take the daemon down; what it broke is a bug to report, not a reason to stop.
            EngineLog.InternalErrorWhileHandlingAPacket(Log, e, RacoonText.Endpoint(remote), e.Message);
        }
        return Finish();
    }

    private void Phase1Message(IPEndPoint local, IPEndPoint remote, IsakmpHeader h, byte[] bytes, string fingerprint)
    {
        var entry = sas.Find(h.InitiatorCookie, h.ResponderCookie, remote);
        var isNew = false;
        if (entry is null)
        {
            if (h.ResponderCookie != 0 || h.IsEncrypted)
            {
                if (MayLogAbout(remote))
                {
                    EngineLog.UnknownISAKMPSAFromPacketIgnored(Log, RacoonText.Index(h.InitiatorCookie, h.ResponderCookie), RacoonText.Endpoint(remote));
                }
                return;
            }
            entry = NewResponder(local, remote, h);
            if (entry is null)
            {
                return;
            }
            isNew = true;
        }
        var sa = entry.Sa;
        if (sa.State != IsakmpSaState.Negotiating)
        {
            EngineLog.IgnoreAPhase1MessageFor(Log, sa.Index);
            return;
        }
        var exchange = entry.Exchange;
        var learnsCookie = sa.IsInitiator && sa.ResponderCookie == 0;
        var before = exchange.LastSent;
        var unfloat = isNew ? null : FloatWithPeer(sa, local, remote);
        try
        {
            if (learnsCookie)
            {
                sas.SetResponderCookie(entry, h.ResponderCookie);
            }
            var (message, nextIv) = OpenPhase1(sa, exchange, h, bytes, remote);
            Emit(exchange.Handle(message, nextIv));
        }
        catch (ExchangeException f)
        {
            Emit(f.Done);
            unfloat?.Invoke();
            if (learnsCookie && !f.Fatal)
            {
                sas.SetResponderCookie(entry, 0);
            }
            if (isNew)
            {
                EngineLog.ErrorMessage(Log, f.Message);
                EngineLog.Phase1NegotiationFailed(Log);
                if (f.Notify is { } notify && f.Fatal)
                {
                    Emit(InformationalExchange.Unprotected(local, remote, h.InitiatorCookie, sa.ResponderCookie, notify));
                }
                entry.Dispose();
                return;
            }
            UpdateResend(entry);
            Phase1Failure(entry, f);
            return;
        }
        if (isNew)
        {
            sas.Add(entry);
        }
        UpdateResend(entry);
        Touch(entry);
        var after = exchange.LastSent;
        received.Remember(fingerprint, ReferenceEquals(after, before) ? null : after, Now);
        if (sa.State == IsakmpSaState.Established)
        {
            Phase1Established(entry);
        }
    }

    /// <summary>A first message from a peer: the remote section for it, and a responder's SA (not yet in the table).</summary>
    private IsakmpSaEntry? NewResponder(IPEndPoint local, IPEndPoint remote, IsakmpHeader h)
    {
        var mode = h.Exchange == ExchangeType.Aggressive ? ExchangeMode.Aggressive : ExchangeMode.Main;
        var config = RemoteSelector.Select(s.Config.Remotes, new RemoteQuery { Peer = remote.Address, ExchangeMode = mode }, out var ambiguous);
        if (config is null)
        {
            EngineLog.ErrorWhy(Log, ambiguous ? $"multiple non-exact configurations found for {remote.Address}." : $"couldn't find configuration for {remote.Address} ({(mode == ExchangeMode.Main ? "main" : "aggressive")} mode).");
            return null;
        }
        var sa = new IsakmpSa(false, mode, local, remote, config, h.InitiatorCookie) { ResponderCookie = s.RandomCookie() };
        var entry = NewEntry(sa);
        EngineLog.RespondNewPhase1Negotiation(Log, RacoonText.Endpoint(local), RacoonText.Endpoint(remote));
        EngineLog.BeginMode(Log, entry.Exchange.ModeName);
        return entry;
    }

    /// <summary>The SA with its exchange (main or aggressive mode) and its phase 1 deadline.</summary>
    private IsakmpSaEntry NewEntry(IsakmpSa sa)
    {
        Phase1Exchange exchange = sa.Mode == ExchangeMode.Aggressive ? new AggressiveMode(sa, s) : new MainMode(sa, s);
        exchange.FirstContact = !contacted.Contains(sa.Peer.Address);
        return new IsakmpSaEntry(sa, exchange, sas.NextSequence(), Now + s.Timers.Phase1Timeout);
    }

    /// <summary>A phase 1 message in the clear, or decrypted with the exchange's running IV (which it adopts only if the message is good).</summary>
    private static (InboundMessage Message, byte[]? NextIv) OpenPhase1(IsakmpSa sa, Phase1Exchange exchange, IsakmpHeader h, byte[] bytes, IPEndPoint remote)
    {
        if (!h.IsEncrypted)
        {
            return (MessageCrypto.Open(h, bytes, bytes.AsSpan(IsakmpHeader.Size)), null);
        }
        if (!sa.HasKeys)
        {
            throw ExchangeException.Drop("encrypted phase 1 message before the keys exist");
        }
        var (plain, iv) = MessageCrypto.Decrypt(h, bytes, sa.Keys!.Cipher, exchange.Iv);
        try
        {
            return (MessageCrypto.Open(h, bytes, plain), iv);
        }
        catch (ExchangeException e) when (!e.Fatal)
        {
            // Garbage after decryption: the keys differ, which with pre-shared keys means the keys in psk.txt do.
            throw ExchangeException.Drop($"failed to decrypt {h.Exchange} message from {RacoonText.Endpoint(remote)}: {e.Message} (pre-shared key mismatch?)", e.Notify);
        }
    }

    /// <summary>The exchange says what to send again until answered; the engine owns the timer.</summary>
    private void UpdateResend(IsakmpSaEntry entry)
    {
        var wanted = entry.Exchange.Retransmit;
        if (!ReferenceEquals(wanted, entry.Resend?.Datagram))
        {
            entry.Resend = wanted is null ? null : new Retransmission(s.Timers, wanted, Now);
        }
    }
}
