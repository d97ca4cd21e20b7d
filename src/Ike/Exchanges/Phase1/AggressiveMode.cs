// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// Aggressive mode (RFC 2409 5, racoon <c>isakmp_agg.c</c>), three messages:
/// <code>
///  I1: HDR, SA, KE, Ni, IDii [, CR] [, VID]
///  R1: HDR, SA, KE, Nr, IDir, [CERT,] HASH_R|SIG_R [, CR] [, VID] [, NAT-D, NAT-D]
///  I2: HDR*, [CERT,] HASH_I|SIG_I [, N(INITIAL-CONTACT)] [, NAT-D, NAT-D]
/// </code>
/// NAT-T (RFC 3947): vendor IDs on I1/R1, NAT-D payloads on R1/I2; when they show a NAT the initiator sends I2
/// from and to the NAT-T port.
/// Every proposal must share one DH group (the KE goes out before the choice). The pre-shared key is chosen by the
/// peer's ID first, then by its address (unless <c>verify_identifier</c>). The last message goes out encrypted
/// as racoon and charon send it; a cleartext one is accepted too, as RFC 2409 writes it.
/// </summary>
internal sealed class AggressiveMode : Phase1Exchange
{
    private Step step;
    private IdentificationPayload? ownId;

    public AggressiveMode(IsakmpSa sa, ExchangeServices services) : base(sa, services)
    {
        step = sa.IsInitiator ? Step.Start : Step.AwaitFirst;
    }

    private enum Step
    {
        Start,
        AwaitFirst,
        AwaitSecond,
        AwaitThird,
        Done,
    }

    public override string ModeName => "Aggressive";

    protected override void StartExchange()
    {
        var offers = OurOffers();
        if (offers.Count == 0)
        {
            throw ExchangeException.Abort($"remote {Sa.Remote.Name} has no usable proposal", null);
        }
        if (offers.Select(o => o.Group).Distinct().Count() != 1)
        {
            throw ExchangeException.Abort("DH group must be equal in all proposals when aggressive mode is used.", null);
        }
        var sa = Phase1SaCodec.Build(offers);
        SaInitiatorBody = sa.ToBodyArray();
        Dh = GroupFor(offers[0].Group).GenerateKeyPair();
        PublicI = Dh.PublicValue.ToArray();
        NonceI = NewNonce();
        var signatures = offers.Any(o => o.BaseAuthentication == Phase1Offer.RsaSignature);
        ownId = Identities.Own(Sa.Remote, Sa.Local, signatures ? OwnCertificate() : null);
        var payloads = new List<Payload> { sa, new KeyExchangePayload(PublicI), new NoncePayload(NonceI), ownId };
        if (signatures && Sa.Remote.SendCertificateRequest)
        {
            payloads.Add(new CertificateRequestPayload(CertificateEncoding.X509Signature, []));
        }
        payloads.AddRange(VendorIds());
        Send(MessageCrypto.Plain(Sa.Header(Exchange), payloads), expectAnswer: true);
        step = Step.AwaitSecond;
    }

    protected override void Receive(InboundMessage message, byte[]? nextIv)
    {
        switch (step)
        {
            case Step.AwaitFirst when !message.Header.IsEncrypted:
                ResponderGotFirst(message);
                break;
            case Step.AwaitSecond when !message.Header.IsEncrypted:
                InitiatorGotSecond(message);
                break;
            case Step.AwaitThird:
                ResponderGotThird(message, nextIv);
                break;
            default:
                throw ExchangeException.Drop($"unexpected aggressive mode message in step {step}");
        }
    }

    // R: I1 -> R1
    private void ResponderGotFirst(InboundMessage message)
    {
        var saRaw = message.Require(PayloadType.SecurityAssociation, ModeName);
        var sa = message.Read(saRaw, SecurityAssociationPayload.Read);
        var ke = message.Require(PayloadType.KeyExchange, KeyExchangePayload.Read, ModeName);
        var nonceI = message.Require(PayloadType.Nonce, NoncePayload.Read, ModeName).Data;
        var peerId = message.Require(PayloadType.Identification, IdentificationPayload.Read, ModeName);
        var (chosen, original) = SelectProposal(sa);
        var peerOffer = Phase1SaCodec.Parse(sa, []).First(o => o.TransformNumber == chosen.TransformNumber);
        var group = GroupFor(chosen.Group);
        CheckKe(ke, group);
        NoteVendorIds(message);
        SaInitiatorBody = saRaw.Body;
        Chosen = chosen;
        Sa.PeerId = peerId;
        CheckPeerIdentity(peerId);
        Dh = group.GenerateKeyPair();
        PublicI = ke.Data;
        PublicR = Dh.PublicValue.ToArray();
        NonceI = nonceI;
        NonceR = NewNonce();
        var keys = DeriveKeys(Dh, ke.Data, nonceI, NonceR, PublicI, PublicR, peerId);
        Adopt(keys);
        ownId = Identities.Own(Sa.Remote, Sa.Local, UsesSignatures ? OwnCertificate() : null);
        var payloads = new List<Payload> { AnswerSa(chosen, original, peerOffer), new KeyExchangePayload(PublicR), new NoncePayload(NonceR) };
        payloads.AddRange(IdentityAndProof(keys, ownId, asInitiator: false));
        payloads.AddRange(CertificateRequests());
        payloads.AddRange(VendorIds());
        payloads.AddRange(NatDiscoveryPayloads());
        Send(MessageCrypto.Plain(Sa.Header(Exchange), payloads), expectAnswer: true);
        step = Step.AwaitThird;
    }

    // I: R1 -> I2, established
    private void InitiatorGotSecond(InboundMessage message)
    {
        var sa = message.Require(PayloadType.SecurityAssociation, SecurityAssociationPayload.Read, ModeName);
        var chosen = AcceptResponderChoice(sa);
        var group = GroupFor(chosen.Group);
        if (group != Dh!.Group)
        {
            throw ExchangeException.Abort($"the responder chose group {chosen.Group}, our KE was for {Dh.Group.Name}", NotifyType.NoProposalChosen);
        }
        var ke = CheckKe(message.Require(PayloadType.KeyExchange, KeyExchangePayload.Read, ModeName), group);
        var nonceR = message.Require(PayloadType.Nonce, NoncePayload.Read, ModeName).Data;
        var idRaw = message.Require(PayloadType.Identification, ModeName);
        var peerId = message.Read(idRaw, IdentificationPayload.Read);

        // Tentatively take the responder's values (the hashes cover them); put them back if it does not verify.
        var saved = (Chosen, PublicR, NonceR);
        Chosen = chosen;
        PublicR = ke;
        NonceR = nonceR;
        Phase1KeyMaterial keys;
        try
        {
            keys = DeriveKeys(Dh, ke, NonceI!, nonceR, PublicI!, ke, peerId);
            VerifyPeer(keys, message, peerId, idRaw.Body, peerIsInitiator: false);
        }
        catch (ExchangeException)
        {
            (Chosen, PublicR, NonceR) = saved;
            throw;
        }
        NoteVendorIds(message);
        CheckNatDiscovery(message);
        Sa.PeerId = peerId;
        Adopt(keys);
        var proof = IdentityAndProof(keys, ownId!, asInitiator: true).Skip(1).ToList();
        proof.AddRange(InitialContact(FirstContact));
        proof.AddRange(NatDiscoveryPayloads());
        FloatIfNatDetected();
        Send(MessageCrypto.Encrypted(Sa.Header(Exchange), proof, Sa.Keys!.Cipher, Iv!), expectAnswer: false);
        step = Step.Done;
        Established();
    }

    // R: I2 -> established
    private void ResponderGotThird(InboundMessage message, byte[]? nextIv)
    {
        var keys = Sa.Keys!;
        var peerId = Sa.PeerId!;
        VerifyPeer(keys, message, peerId, peerId.ToBodyArray(), peerIsInitiator: true);
        CheckNatDiscovery(message);
        if (nextIv is not null)
        {
            Iv = nextIv;
        }
        NoteInitialContact(message);
        Retransmit = null;
        step = Step.Done;
        Established();
        if (PeerSentInitialContact)
        {
            ExchangeLog.InitialContactReceived(S.Log, RacoonText.Endpoint(Sa.Peer));
        }
    }
}
