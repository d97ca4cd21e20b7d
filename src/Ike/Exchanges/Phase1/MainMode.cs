// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// Main mode, identity protection (RFC 2409 5, racoon <c>isakmp_ident.c</c>), six messages:
/// <code>
///  I1: HDR, SA [, VID]              R1: HDR, SA [, VID]
///  I2: HDR, KE, Ni [, CR] [, NAT-D, NAT-D]
///                                   R2: HDR, KE, Nr [, CR] [, NAT-D, NAT-D]
///  I3: HDR*, IDii, [CERT,] HASH_I|SIG_I [, N(INITIAL-CONTACT)]
///                                   R3: HDR*, IDir, [CERT,] HASH_R|SIG_R
/// </code>
/// NAT-T (RFC 3947): the NAT-T vendor IDs ride on I1/R1, the NAT-D payloads on I2/R2; when they show a NAT the
/// initiator sends I3 from and to the NAT-T port, and the responder answers where I3 came from.
/// With pre-shared keys the key is chosen by the peer's address, as racoon does (the ID arrives encrypted).
/// </summary>
internal sealed class MainMode : Phase1Exchange
{
    private Step step;

    public MainMode(IsakmpSa sa, ExchangeServices services) : base(sa, services)
    {
        step = sa.IsInitiator ? Step.Start : Step.AwaitSa;
    }

    private enum Step
    {
        Start,
        AwaitSa,
        AwaitKe,
        AwaitAuth,
        Done,
    }

    public override string ModeName => "Identity Protection";

    protected override void StartExchange()
    {
        var offers = OurOffers();
        if (offers.Count == 0)
        {
            throw ExchangeException.Abort($"remote {Sa.Remote.Name} has no usable proposal", null);
        }
        var sa = Phase1SaCodec.Build(offers);
        SaInitiatorBody = sa.ToBodyArray();
        var payloads = new List<Payload> { sa };
        payloads.AddRange(VendorIds());
        Send(MessageCrypto.Plain(Sa.Header(Exchange), payloads), expectAnswer: true);
        step = Step.AwaitSa;
    }

    protected override void Receive(InboundMessage message, byte[]? nextIv)
    {
        var encrypted = message.Header.IsEncrypted;
        switch (step)
        {
            case Step.AwaitSa when Sa.IsInitiator && !encrypted:
                InitiatorGotSa(message);
                break;
            case Step.AwaitSa when !Sa.IsInitiator && !encrypted:
                ResponderGotSa(message);
                break;
            case Step.AwaitKe when !encrypted:
                GotKe(message);
                break;
            case Step.AwaitAuth when encrypted:
                GotAuth(message, nextIv!);
                break;
            default:
                throw ExchangeException.Drop($"unexpected {(encrypted ? "encrypted" : "cleartext")} main mode message in step {step}");
        }
    }

    // I: R1 arrived -> I2
    private void InitiatorGotSa(InboundMessage message)
    {
        var sa = message.Require(PayloadType.SecurityAssociation, SecurityAssociationPayload.Read, ModeName);
        var chosen = AcceptResponderChoice(sa);
        var group = GroupFor(chosen.Group);
        NoteVendorIds(message);
        Chosen = chosen;
        Dh = group.GenerateKeyPair();
        PublicI = Dh.PublicValue.ToArray();
        NonceI = NewNonce();
        var payloads = new List<Payload> { new KeyExchangePayload(PublicI), new NoncePayload(NonceI) };
        payloads.AddRange(CertificateRequests());
        payloads.AddRange(NatDiscoveryPayloads());
        Send(MessageCrypto.Plain(Sa.Header(Exchange), payloads), expectAnswer: true);
        step = Step.AwaitKe;
    }

    // R: I1 arrived -> R1
    private void ResponderGotSa(InboundMessage message)
    {
        var saRaw = message.Require(PayloadType.SecurityAssociation, ModeName);
        var sa = message.Read(saRaw, SecurityAssociationPayload.Read);
        var (chosen, original) = SelectProposal(sa);
        var peerOffer = Phase1SaCodec.Parse(sa, []).First(o => o.TransformNumber == chosen.TransformNumber);
        GroupFor(chosen.Group);
        NoteVendorIds(message);
        SaInitiatorBody = saRaw.Body;
        Chosen = chosen;
        var payloads = new List<Payload> { AnswerSa(chosen, original, peerOffer) };
        payloads.AddRange(VendorIds());
        Send(MessageCrypto.Plain(Sa.Header(Exchange), payloads), expectAnswer: true);
        step = Step.AwaitKe;
    }

    private void GotKe(InboundMessage message)
    {
        var group = GroupFor(Chosen!.Group);
        var ke = CheckKe(message.Require(PayloadType.KeyExchange, KeyExchangePayload.Read, ModeName), group);
        var nonce = message.Require(PayloadType.Nonce, NoncePayload.Read, ModeName).Data;
        if (Sa.IsInitiator)
        {
            // I: R2 arrived -> I3, the first encrypted message.
            var keys = DeriveKeys(Dh!, ke, NonceI!, nonce, PublicI!, ke, null);
            CheckNatDiscovery(message);
            PublicR = ke;
            NonceR = nonce;
            Adopt(keys);
            FloatIfNatDetected();
            var ownId = Identities.Own(Sa.Remote, Sa.Local, UsesSignatures ? OwnCertificate() : null);
            var payloads = IdentityAndProof(keys, ownId, asInitiator: true);
            payloads.AddRange(InitialContact(FirstContact));
            Send(MessageCrypto.Encrypted(Sa.Header(Exchange), payloads, Sa.Keys!.Cipher, Iv!), expectAnswer: true);
        }
        else
        {
            // R: I2 arrived -> R2; keys are derived now so I3 can be opened.
            var dh = GroupFor(Chosen.Group).GenerateKeyPair();
            var publicR = dh.PublicValue.ToArray();
            var nonceR = NewNonce();
            var keys = DeriveKeys(dh, ke, nonce, nonceR, ke, publicR, null);
            CheckNatDiscovery(message);
            Dh = dh;
            PublicI = ke;
            PublicR = publicR;
            NonceI = nonce;
            NonceR = nonceR;
            Adopt(keys);
            var payloads = new List<Payload> { new KeyExchangePayload(publicR), new NoncePayload(nonceR) };
            payloads.AddRange(CertificateRequests());
            payloads.AddRange(NatDiscoveryPayloads());
            Send(MessageCrypto.Plain(Sa.Header(Exchange), payloads), expectAnswer: true);
        }
        step = Step.AwaitAuth;
    }

    private void GotAuth(InboundMessage message, byte[] nextIv)
    {
        var idRaw = message.Require(PayloadType.Identification, ModeName);
        var peerId = message.Read(idRaw, IdentificationPayload.Read);
        var keys = Sa.Keys!;
        VerifyPeer(keys, message, peerId, idRaw.Body, peerIsInitiator: !Sa.IsInitiator);
        // Authentic: adopt the IV that follows this message, and the peer's identity.
        Iv = nextIv;
        Sa.PeerId = peerId;
        NoteInitialContact(message);
        if (!Sa.IsInitiator)
        {
            var ownId = Identities.Own(Sa.Remote, Sa.Local, UsesSignatures ? OwnCertificate() : null);
            var payloads = IdentityAndProof(keys, ownId, asInitiator: false);
            Send(MessageCrypto.Encrypted(Sa.Header(Exchange), payloads, Sa.Keys!.Cipher, Iv), expectAnswer: false);
        }
        else
        {
            Retransmit = null;
        }
        step = Step.Done;
        Established();
        if (PeerSentInitialContact)
        {
            ExchangeLog.InitialContactReceived(S.Log, RacoonText.Endpoint(Sa.Peer));
        }
    }
}
