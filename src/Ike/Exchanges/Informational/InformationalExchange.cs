using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Informational;

/// <summary>
/// Informational exchanges (RFC 2409 5.7): <c>HDR*, HASH(1), N/D</c> with HASH(1) = prf(SKEYID_a, M-ID | N/D),
/// a fresh message id and its own IV. One message each way, no state: notifications, DELETE, and RFC 3706 dead
/// peer detection (R-U-THERE / R-U-THERE-ACK). Before an ISAKMP SA has keys, errors go out in the clear
/// (<c>HDR, N</c>), as racoon answers a first message it cannot accept.
/// <code>
///  send:    HDR*, HASH(1), N | D          <see cref="Protected"/>, <see cref="Unprotected"/>
///  receive: HDR*, HASH(1), N | D ...      <see cref="Receive"/>: verify, then report each payload to the engine
/// </code>
/// What a received message asks for (purge SAs, answer a DPD probe) the engine decides: it reports each payload, in
/// order, to an <see cref="IInformationalHandler"/>.
/// </summary>
internal static class InformationalExchange
{
    /// <summary>Notifications and/or deletes protected by the ISAKMP SA.</summary>
    public static SendDatagram Protected(IsakmpSa sa, ExchangeServices s, IReadOnlyList<Payload> payloads)
    {
        var keys = sa.Keys!;
        var messageId = s.RandomMessageId();
        var chain = PayloadChain.ToArray([.. payloads]);
        var hash = new byte[keys.Hash.HashLength];
        using (var prfA = keys.PrfA())
        {
            Phase2Hash.Informational(prfA, messageId, chain, hash);
        }
        var full = new byte[Payload.GenericHeaderSize + hash.Length + chain.Length];
        new HashPayload(hash).Write(full, payloads[0].Type);
        chain.CopyTo(full, Payload.GenericHeaderSize + hash.Length);
        var iv = sa.Phase2Iv(messageId);
        var datagram = MessageCrypto.Encrypted(sa.Header(ExchangeType.Informational, messageId), PayloadType.Hash, full, keys.Cipher, iv);
        return new SendDatagram(sa.Local, sa.Peer, datagram);
    }

    /// <summary>A notification in the clear, for a peer we share no keys with yet.</summary>
    public static SendDatagram Unprotected(IPEndPoint local, IPEndPoint peer, ulong initiatorCookie, ulong responderCookie, NotifyType type)
    {
        var notify = new NotificationPayload(Doi.Ipsec, ProtocolId.Isakmp, type, [.. IsakmpSa.CookieBytes(initiatorCookie), .. IsakmpSa.CookieBytes(responderCookie)], []);
        var header = new IsakmpHeader(initiatorCookie, responderCookie, PayloadType.None, ExchangeType.Informational, IsakmpFlags.None, 0, 0);
        return new SendDatagram(local, peer, MessageCrypto.Plain(header, [notify]));
    }

    /// <summary>DELETE of the ISAKMP SA itself.</summary>
    public static SendDatagram DeleteIsakmp(IsakmpSa sa, ExchangeServices s) =>
        Protected(sa, s, [DeletePayload.ForIsakmp(sa.InitiatorCookie, sa.ResponderCookie)]);

    /// <summary>DELETE of one inbound IPsec SA of ours.</summary>
    public static SendDatagram DeleteIpsec(IsakmpSa sa, ExchangeServices s, IpsecSaProtocol protocol, uint inboundSpi) =>
        Protected(sa, s, [DeletePayload.ForIpsec((ProtocolId)protocol, inboundSpi)]);

    /// <summary>An error notification about a quick mode (proto ESP, as racoon sends them).</summary>
    public static SendDatagram Phase2Error(IsakmpSa sa, ExchangeServices s, NotifyType type) =>
        Protected(sa, s, [new NotificationPayload(Doi.Ipsec, ProtocolId.IpsecEsp, type, [], [])]);

    /// <summary>R-U-THERE (<paramref name="ack"/> false) or R-U-THERE-ACK with a sequence number.</summary>
    public static SendDatagram Dpd(IsakmpSa sa, ExchangeServices s, bool ack, uint sequence) =>
        Protected(sa, s, [NotificationPayload.Dpd(ack, sa.InitiatorCookie, sa.ResponderCookie, sequence)]);

    /// <summary>What an unauthenticated informational message says, for the log (it is not acted on).</summary>
    public static string Describe(InboundMessage message) =>
        string.Join(", ", message.Payloads.Select(p => p.Type == PayloadType.Notification && NotificationPayload.Read(p.Body).TryGetValue(out var n, out _)
            ? NotifyNames.Name(n.NotifyType) : p.Type.ToString()));

    /// <summary>Checks HASH(1) of a decrypted informational message; throws (changing nothing) when it does not match.</summary>
    public static void Verify(IsakmpSa sa, InboundMessage message)
    {
        var rest = message.AfterHash("informational");
        var expected = new byte[sa.Keys!.Hash.HashLength];
        using (var prfA = sa.Keys.PrfA())
        {
            Phase2Hash.Informational(prfA, message.Header.MessageId, rest, expected);
        }
        var hash = message.Read(message.Payloads[0], HashPayload.Read);
        if (!CryptographicOperations.FixedTimeEquals(hash.Data, expected))
        {
            throw ExchangeException.Drop("informational HASH(1) mismatched", NotifyType.InvalidHashInformation);
        }
    }

    /// <summary>
    /// An authenticated (decrypted and verified) informational message: every payload after HASH(1), in order, goes
    /// to <paramref name="handler"/>; notifications without consequence are logged as racoon logs them.
    /// </summary>
    public static void Receive(IsakmpSa sa, InboundMessage message, IInformationalHandler handler, ILogger log)
    {
        foreach (var payload in message.Payloads.Skip(1))
        {
            try
            {
                if (payload.Type == PayloadType.Notification)
                {
                    Notification(sa, message.Read(payload, NotificationPayload.Read), handler, log);
                }
                else if (payload.Type == PayloadType.Delete)
                {
                    Delete(sa, message.Read(payload, DeletePayload.Read), handler);
                }
            }
            catch (ExchangeException f)
            {
                ExchangeLog.ErrorMessage(log, f.Message);
            }
            if (sa.State == IsakmpSaState.Dead)
            {
                break;
            }
        }
    }

    private static void Notification(IsakmpSa sa, NotificationPayload n, IInformationalHandler handler, ILogger log)
    {
        switch (n.NotifyType)
        {
            case NotifyType.RUThere:
                if (n.TryGetDpdSequence(out var seq))
                {
                    handler.AreYouThere(sa, seq);
                }
                break;
            case NotifyType.RUThereAck:
                if (n.TryGetDpdSequence(out var ack))
                {
                    handler.DpdAcknowledged(sa, ack);
                }
                break;
            case NotifyType.InitialContact:
                ExchangeLog.InitialContactReceived(log, RacoonText.Endpoint(sa.Peer));
                handler.InitialContact(sa);
                break;
            default:
                if (NotifyNames.IsError(n.NotifyType))
                {
                    ExchangeLog.ErrorNotificationReceived(log, NotifyNames.Name(n.NotifyType));
                }
                else
                {
                    ExchangeLog.NotificationReceived(log, (ushort)n.NotifyType, NotifyNames.Name(n.NotifyType), (uint)n.Doi, (byte)n.Protocol);
                }
                break;
        }
    }

    private static void Delete(IsakmpSa sa, DeletePayload d, IInformationalHandler handler)
    {
        if (d.Protocol == ProtocolId.Isakmp)
        {
            for (var i = 0; i < d.Spis.Length; i++)
            {
                if (d.Spis[i].Length != 16)
                {
                    continue;
                }
                var ci = BinaryPrimitives.ReadUInt64BigEndian(d.Spis[i]);
                var cr = BinaryPrimitives.ReadUInt64BigEndian(d.Spis[i].AsSpan(8));
                handler.IsakmpSaDeleted(sa, ci, cr);
            }
            return;
        }
        var protocol = (IpsecSaProtocol)d.Protocol;
        for (var i = 0; i < d.Spis.Length; i++)
        {
            uint spi = d.SpiSize == 4 ? d.GetSpi32(i) : d.SpiSize == 2 ? BinaryPrimitives.ReadUInt16BigEndian(d.Spis[i]) : 0u;
            handler.IpsecSaDeleted(sa, protocol, spi);
        }
    }
}
