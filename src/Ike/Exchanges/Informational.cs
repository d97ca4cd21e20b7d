using System.Net;
using System.Security.Cryptography;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Exchanges.Phase2;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges;

/// <summary>
/// Informational exchanges (RFC 2409 5.7): <c>HDR*, HASH(1), N/D</c> with HASH(1) = prf(SKEYID_a, M-ID | N/D),
/// a fresh message id and its own IV. Before an ISAKMP SA has keys, errors go out in the clear
/// (<c>HDR, N</c>), as racoon answers a first message it cannot accept.
/// </summary>
internal static class Informational
{
    /// <summary>Sends notifications and/or deletes protected by the ISAKMP SA.</summary>
    public static byte[] SendProtected(IsakmpSa sa, ExchangeServices s, IReadOnlyList<Payload> payloads)
    {
        var messageId = s.RandomMessageId();
        var chain = PayloadChain.ToArray([.. payloads]);
        var hash = new byte[sa.Hash!.HashLength];
        using (var prfA = sa.PrfA())
        {
            Phase2Hash.Informational(prfA, messageId, chain, hash);
        }
        var full = new byte[Payload.GenericHeaderSize + hash.Length + chain.Length];
        new HashPayload(hash).Write(full, payloads[0].Type);
        chain.CopyTo(full, Payload.GenericHeaderSize + hash.Length);
        var iv = sa.Phase2Iv(messageId);
        var datagram = MessageCrypto.Encrypted(sa.Header(ExchangeType.Informational, messageId), PayloadType.Hash, full, sa.Cipher!, iv);
        s.Send(sa.Local, sa.Peer, datagram);
        return datagram;
    }

    /// <summary>A notification in the clear, for a peer we share no keys with yet.</summary>
    public static void SendUnprotected(ExchangeServices s, IPEndPoint local, IPEndPoint peer, ulong initiatorCookie, ulong responderCookie, NotifyType type)
    {
        var notify = new NotificationPayload(Doi.Ipsec, ProtocolId.Isakmp, type, [.. IsakmpSa.CookieBytes(initiatorCookie), .. IsakmpSa.CookieBytes(responderCookie)], []);
        var header = new IsakmpHeader(initiatorCookie, responderCookie, PayloadType.None, ExchangeType.Informational, IsakmpFlags.None, 0, 0);
        s.Send(local, peer, MessageCrypto.Plain(header, [notify]));
    }

    /// <summary>Checks HASH(1) of a decrypted informational message; throws (changing nothing) when it does not match.</summary>
    public static void Verify(IsakmpSa sa, InboundMessage message)
    {
        var rest = QuickMode.AfterHash(message, "informational");
        var expected = new byte[sa.Hash!.HashLength];
        using (var prfA = sa.PrfA())
        {
            Phase2Hash.Informational(prfA, message.Header.MessageId, rest, expected);
        }
        var hash = message.Read(message.Payloads[0], HashPayload.Read);
        if (!CryptographicOperations.FixedTimeEquals(hash.Data, expected))
        {
            throw ExchangeException.Drop("informational HASH(1) mismatched", NotifyType.InvalidHashInformation);
        }
    }
}
