// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;
using DhGroup = KernelIpsec.Ike.Crypto.DiffieHellman.DhGroup;

namespace KernelIpsec.Ike.Exchanges.Phase1;

/// <summary>
/// What main and aggressive mode share (strongSwan's <c>phase1_t</c>): proposals, Diffie-Hellman and nonces,
/// key derivation, authentication by pre-shared key or RSA signature, identity checks and the end of phase 1.
/// Every step computes into locals and commits to the SA only when the whole message proved good.
/// </summary>
internal abstract partial class Phase1Exchange : IDisposable
{
    private Outbox? @out;

    protected Phase1Exchange(IsakmpSa sa, ExchangeServices services)
    {
        Sa = sa;
        S = services;
    }

    protected IsakmpSa Sa { get; }

    protected ExchangeServices S { get; }

    // What this negotiation has agreed and exchanged so far; gone with the exchange.
    protected byte[]? SaInitiatorBody { get; set; }
    protected Phase1Offer? Chosen { get; set; }
    protected DhKeyPair? Dh { get; set; }
    protected byte[]? PublicI { get; set; }
    protected byte[]? PublicR { get; set; }
    protected byte[]? NonceI { get; set; }
    protected byte[]? NonceR { get; set; }

    /// <summary>The phase 1 CBC chain: the initial IV, then the last ciphertext block of each phase 1 message.</summary>
    public byte[]? Iv { get; protected set; }

    /// <summary>The last datagram this exchange sent (answer to a resent request).</summary>
    public byte[]? LastSent { get; private set; }

    /// <summary>What to send again until the peer answers (null: nothing outstanding); the engine keeps the timer.</summary>
    public byte[]? Retransmit { get; protected set; }

    /// <summary>The lifetime of the SA once established (the chosen proposal's, or racoon's default).</summary>
    public TimeSpan Lifetime => TimeSpan.FromSeconds(Chosen?.LifetimeSeconds is > 0 and var s ? s : RemoteConfig.DefaultLifetime.TotalSeconds);

    /// <summary>Initiator: send the first message.</summary>
    public IReadOnlyList<EngineIntent> Start() => Outbox.Run(o => Step(o, StartExchange));

    /// <summary>A message for this exchange; encrypted ones arrive decrypted with the IV that would follow them.</summary>
    public IReadOnlyList<EngineIntent> Handle(InboundMessage message, byte[]? nextIv) => Outbox.Run(o => Step(o, () => Receive(message, nextIv)));

    private void Step(Outbox outbox, Action step)
    {
        @out = outbox;
        try
        {
            step();
        }
        finally
        {
            @out = null;
        }
    }

    protected abstract void StartExchange();

    protected abstract void Receive(InboundMessage message, byte[]? nextIv);

    public abstract string ModeName { get; }

    protected Outbox Out => @out ?? throw new InvalidOperationException("an exchange step runs only inside Start or Handle");

    protected void Send(byte[] datagram, bool expectAnswer)
    {
        LastSent = datagram;
        Out.Send(Sa.Local, Sa.Peer, datagram, S.Timers.PerSend);
        Retransmit = expectAnswer ? datagram : null;
    }

    /// <summary>The keys are derived and the message that proves them good is in: the SA takes them, the CBC chain starts.</summary>
    protected void Adopt(Phase1KeyMaterial keys)
    {
        Sa.Adopt(keys);
        Iv = (byte[])keys.InitialIv.Clone();
    }

    protected ExchangeType Exchange => Sa.Mode == ExchangeMode.Aggressive ? ExchangeType.Aggressive : ExchangeType.IdentityProtection;

    protected bool UsesSignatures => Chosen!.BaseAuthentication == Phase1Offer.RsaSignature;

    /// <summary>
    /// Hybrid authentication (draft-ietf-ipsra-isakmp-hybrid-auth-05): keys as for signatures, but only the XAuth
    /// server signs; the client proves its phase 1 with HASH and itself with XAuth afterwards.
    /// </summary>
    private bool HybridAnd(Transaction.XauthRole ourRole) =>
        Phase1Offer.Family(Chosen!.AuthenticationMethod) == Phase1Offer.HybridInitRsa && Transaction.XauthRoles.For(Sa.Remote, Chosen.AuthenticationMethod) == ourRole;

    /// <summary>We prove phase 1 with a signature (else with HASH).</summary>
    protected bool WeSign => UsesSignatures && !HybridAnd(Transaction.XauthRole.Client);

    /// <summary>The peer proves phase 1 with a signature (else with HASH).</summary>
    protected bool PeerSigns => UsesSignatures && !HybridAnd(Transaction.XauthRole.Server);

    /// <summary>The negotiated authentication method as it went on the wire (null before the proposal is chosen).</summary>
    public ushort? ChosenAuthenticationMethod => Chosen?.AuthenticationMethod;

    protected IReadOnlyList<Phase1Offer> OurOffers() => Phase1Offer.FromConfig(Sa.Remote);

    /// <summary>The vendor ids we send: DPD when <c>dpd</c> is on (RFC 3706), NAT-T's when <c>nat_traversal</c> is, XAuth and Unity for remote access.</summary>
    protected List<Payload> VendorIds()
    {
        var list = new List<Payload>();
        if (Sa.Remote.Dpd)
        {
            list.Add(new VendorIdPayload(KnownVendorIds.DeadPeerDetection.ToArray()));
        }
        list.AddRange(NatTVendorIds());
        list.AddRange(RemoteAccessVendorIds.For(Sa.Remote));
        return list;
    }

    protected void NoteVendorIds(InboundMessage message)
    {
        foreach (var vid in message.ReadAll(PayloadType.VendorId, VendorIdPayload.Read))
        {
            if (vid.Is(KnownVendorIds.DeadPeerDetection))
            {
                if (!Sa.PeerSupportsDpd)
                {
                    ExchangeLog.DpdVendorIdReceived(S.Log);
                }
                Sa.PeerSupportsDpd = true;
            }
        }
        NoteNatTVendorIds(message);
    }

    /// <summary>Initiator: the responder must have picked exactly one of our transforms.</summary>
    protected Phase1Offer AcceptResponderChoice(SecurityAssociationPayload sa)
    {
        var skipped = new List<string>();
        var offers = Phase1SaCodec.Parse(sa, skipped);
        if (offers.Count != 1)
        {
            throw ExchangeException.Abort($"the responder returned {offers.Count} transforms, expected one{(skipped.Count > 0 ? $" ({string.Join("; ", skipped)})" : "")}", NotifyType.BadProposalSyntax);
        }
        var reply = offers[0];
        var match = OurOffers().FirstOrDefault(o => o.Encryption == reply.Encryption && o.Hash == reply.Hash
            && Phase1Offer.Family(o.AuthenticationMethod) == Phase1Offer.Family(reply.AuthenticationMethod) && o.Group == reply.Group
            && (o.KeyBits == reply.KeyBits || (o.KeyBits == 0 && reply.KeyBits == 128) || (reply.KeyBits == 0 && o.KeyBits == 128))
            && (reply.LifetimeSeconds == 0 || reply.LifetimeSeconds <= o.LifetimeSeconds));
        return match is null
            ? throw ExchangeException.Abort($"the responder chose a transform we did not offer: {reply}", NotifyType.NoProposalChosen)
            : reply with { LifetimeSeconds = reply.LifetimeSeconds == 0 ? match.LifetimeSeconds : reply.LifetimeSeconds };
    }

    /// <summary>Responder: racoon's proposal_check over the initiator's transforms.</summary>
    protected (Phase1Offer Chosen, Transform Original) SelectProposal(SecurityAssociationPayload sa)
    {
        var skipped = new List<string>();
        var offers = Phase1SaCodec.Parse(sa, skipped);
        var chosen = Phase1ProposalMatcher.Select(offers, OurOffers(), Sa.Remote.ProposalCheck, out var why);
        if (chosen is null)
        {
            var all = skipped.Count > 0 ? $"{why}; {string.Join("; ", skipped)}" : why;
            throw ExchangeException.Abort($"no suitable proposal found ({all})", NotifyType.NoProposalChosen);
        }
        var original = sa.Proposals[0].Transforms.First(t => t.Number == chosen.TransformNumber);
        return (chosen, original);
    }

    /// <summary>Our answer's SA payload: the initiator's transform as it was sent (with a shortened lifetime if we claim one).</summary>
    protected static SecurityAssociationPayload AnswerSa(Phase1Offer chosen, Transform original, Phase1Offer peer) =>
        chosen.LifetimeSeconds == peer.LifetimeSeconds
            ? new([new Proposal(1, ProtocolId.Isakmp, [], [original])])
            : new([new Proposal(1, ProtocolId.Isakmp, [], [Phase1SaCodec.ToTransform(chosen)])]);

    protected DhGroup GroupFor(DhGroupId group) =>
        S.Groups.Find(group) ?? throw ExchangeException.Abort($"DH group {group} is not supported", NotifyType.AttributesNotSupported);

    protected byte[] NewNonce() => S.RandomBytes(Math.Clamp(Sa.Remote.NonceSize, NoncePayload.MinimumLength, NoncePayload.MaximumLength));

    protected static byte[] CheckKe(KeyExchangePayload ke, DhGroup group) =>
        ke.Data.Length == group.PublicValueLength ? ke.Data
            : throw ExchangeException.Drop($"KE payload of {ke.Data.Length} bytes, {group.Name} needs {group.PublicValueLength}", NotifyType.InvalidKeyInformation);

    /// <summary>The pre-shared key racoon would use: by the peer's address in main mode, by its ID first in aggressive mode.</summary>
    protected byte[] PreSharedKey(IdentificationPayload? peerId)
    {
        byte[]? key = null;
        var by = Sa.Peer.Address.ToString();
        if (Sa.Mode == ExchangeMode.Aggressive && peerId is not null)
        {
            var text = Identities.Text(peerId);
            key = S.PreSharedKeys.Find(text);
            if (key is not null)
            {
                return key;
            }
            if (Sa.Remote.VerifyIdentifier)
            {
                throw ExchangeException.Abort($"couldn't find the pskey for {text}.", NotifyType.AuthenticationFailed);
            }
        }
        key = S.PreSharedKeys.Find(by);
        return key ?? throw ExchangeException.Abort($"couldn't find the pskey for {by}.", NotifyType.AuthenticationFailed);
    }

    /// <summary>g^xy and every key of the SA, not yet adopted.</summary>
    protected Phase1KeyMaterial DeriveKeys(DhKeyPair dh, byte[] peerPublic, byte[] nonceI, byte[] nonceR, byte[] publicI, byte[] publicR, IdentificationPayload? peerId)
    {
        byte[] shared;
        try
        {
            shared = dh.DeriveSharedSecret(peerPublic);
        }
        catch (DhPublicValueException e)
        {
            throw ExchangeException.Drop($"invalid DH public value: {e.Message}", NotifyType.InvalidKeyInformation);
        }
        try
        {
            var psk = Chosen!.BaseAuthentication == Phase1Offer.PreSharedKey ? PreSharedKey(peerId) : null;
            try
            {
                return Phase1KeyMaterial.Derive(Chosen, psk, nonceI, nonceR, shared, Sa.CookieI, Sa.CookieR, publicI, publicR);
            }
            finally
            {
                if (psk is not null)
                {
                    CryptographicOperations.ZeroMemory(psk);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>HASH_I (we are initiator) or HASH_R over our ID body, with the given SKEYID.</summary>
    protected byte[] AuthHash(Phase1KeyMaterial keys, bool forInitiator, byte[] idBody)
    {
        using var prf = keys.Hash.CreatePrf(keys.Skeyid);
        var hash = new byte[keys.Hash.HashLength];
        if (forInitiator)
        {
            Phase1Hash.HashI(prf, PublicI, PublicR, Sa.CookieI, Sa.CookieR, SaInitiatorBody, idBody, hash);
        }
        else
        {
            Phase1Hash.HashR(prf, PublicI, PublicR, Sa.CookieI, Sa.CookieR, SaInitiatorBody, idBody, hash);
        }
        return hash;
    }

    protected X509Certificate2? OwnCertificate() => S.Certificates.OwnCertificate(Sa.Remote);

    /// <summary>Our ID payload followed by the proof: HASH, or [CERT] SIG.</summary>
    protected List<Payload> IdentityAndProof(Phase1KeyMaterial keys, IdentificationPayload ownId, bool asInitiator)
    {
        var payloads = new List<Payload> { ownId };
        var hash = AuthHash(keys, asInitiator, ownId.ToBodyArray());
        if (!WeSign)
        {
            payloads.Add(new HashPayload(hash));
            return payloads;
        }
        var certificate = OwnCertificate() ?? throw ExchangeException.Abort("no certificate configured for RSA signatures (certificate_type x509)", null);
        using var key = certificate.GetRSAPrivateKey() ?? throw ExchangeException.Abort("our certificate has no RSA private key", null);
        if (Sa.Remote.SendCertificate)
        {
            payloads.Add(new CertificatePayload(CertificateEncoding.X509Signature, certificate.RawData));
        }
        payloads.Add(new SignaturePayload(RsaSignatures.Sign(key, hash)));
        return payloads;
    }

    /// <summary>Certificate requests we send with our KE (rsasig and <c>send_cr on</c>): one naming no authority.</summary>
    protected List<Payload> CertificateRequests() =>
        UsesSignatures && Sa.Remote.SendCertificateRequest ? [new CertificateRequestPayload(CertificateEncoding.X509Signature, [])] : [];

    /// <summary>Checks the peer's HASH or signature and identity; throws without changing anything.</summary>
    protected void VerifyPeer(Phase1KeyMaterial keys, InboundMessage message, IdentificationPayload peerId, byte[] peerIdBody, bool peerIsInitiator)
    {
        var expected = AuthHash(keys, peerIsInitiator, peerIdBody);
        if (!PeerSigns)
        {
            var hash = message.Require(PayloadType.Hash, HashPayload.Read, ModeName);
            if (!CryptographicOperations.FixedTimeEquals(hash.Data, expected))
            {
                throw ExchangeException.Drop($"invalid {(peerIsInitiator ? "HASH_I" : "HASH_R")} payload: HASH mismatched (pre-shared key differs?)", NotifyType.InvalidHashInformation);
            }
        }
        else
        {
            var signature = message.Require(PayloadType.Signature, SignaturePayload.Read, ModeName);
            var certificates = message.ReadAll(PayloadType.Certificate, CertificatePayload.Read)
                .Where(c => c.Encoding == CertificateEncoding.X509Signature)
                .Select(c => LoadCertificate(c.Data)).ToList();
            if (certificates.Count == 0 && S.Certificates.PeerCertificate(Sa.Remote) is { } pinned)
            {
                certificates.Add(pinned);
            }
            if (certificates.Count == 0)
            {
                throw ExchangeException.Abort("no peer's CERT payload found (rsasig needs the peer's certificate or peers_certfile)", NotifyType.CertificateUnavailable);
            }
            var leaf = certificates.FirstOrDefault(c => Identities.CheckAgainstCertificate(peerId, c) is null) ?? certificates[0];
            using var publicKey = leaf.GetRSAPublicKey() ?? throw ExchangeException.Abort("the peer's certificate has no RSA key", NotifyType.InvalidCertificate);
            if (!RsaSignatures.Verify(publicKey, expected, signature.Data))
            {
                throw ExchangeException.Drop("Invalid SIG: signature verification failed", NotifyType.InvalidSignature);
            }
            if (Sa.Remote.VerifyCertificate && S.Certificates.Verify(Sa.Remote, leaf, certificates.Where(c => c != leaf).ToList()) is { } untrusted)
            {
                throw ExchangeException.Abort($"certificate verification failed: {untrusted} (subject {leaf.Subject})", NotifyType.InvalidCertificate);
            }
            if (Identities.CheckAgainstCertificate(peerId, leaf) is { } mismatch)
            {
                throw ExchangeException.Abort(mismatch, NotifyType.InvalidIdInformation);
            }
        }
        CheckPeerIdentity(peerId);
    }

    private static X509Certificate2 LoadCertificate(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw ExchangeException.Drop($"CERT payload is not an X.509 certificate: {e.Message}", NotifyType.InvalidCertEncoding);
        }
    }

    /// <summary><c>verify_identifier on</c>: the peer's ID must be one of <c>peers_identifier</c>.</summary>
    protected void CheckPeerIdentity(IdentificationPayload peerId)
    {
        var configured = Sa.Remote.PeersIdentifiers;
        if (!Sa.Remote.VerifyIdentifier || configured.Count == 0)
        {
            return;
        }
        if (!configured.Any(c => Identities.Matches(peerId, c, Sa.Peer.Address)))
        {
            throw ExchangeException.Abort($"mismatched ID: peer sent {peerId.IdType} {Identities.Text(peerId)}, expected {string.Join(" or ", configured)}", NotifyType.InvalidIdInformation);
        }
    }

    /// <summary>Phase 1 is done: log as racoon and tell the engine (which starts the lifetime and DPD).</summary>
    protected void Established()
    {
        Sa.Establish(Iv!);
        Dh?.Dispose();
        Dh = null;
        ExchangeLog.IsakmpSaEstablished(S.Log, RacoonText.Endpoint(Sa.Local), RacoonText.Endpoint(Sa.Peer), Sa.Index);
        // Phase1Up is the engine's to emit: with XAuth or Mode Config it waits for them (Engine.Transactions).
    }

    /// <summary>INITIAL-CONTACT (RFC 2407 4.6.3.3) for the first phase 1 to a peer, when <c>initial_contact on</c>.</summary>
    protected List<Payload> InitialContact(bool firstContact) =>
        firstContact && Sa.Remote.InitialContact ? [NotificationPayload.InitialContact(Sa.InitiatorCookie, Sa.ResponderCookie)] : [];

    /// <summary>Set by the engine: true when no ISAKMP SA to this peer was established before.</summary>
    public bool FirstContact { get; set; }

    /// <summary>Set when the peer's authenticated message carried INITIAL-CONTACT.</summary>
    public bool PeerSentInitialContact { get; protected set; }

    protected void NoteInitialContact(InboundMessage message)
    {
        PeerSentInitialContact = message.ReadAll(PayloadType.Notification, NotificationPayload.Read)
            .Any(n => n.NotifyType == NotifyType.InitialContact);
    }

    public void Dispose() => Dh?.Dispose();
}
