// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Security.Cryptography;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Exchanges.Phase2;

/// <summary>
/// Quick mode (RFC 2409 5.5, racoon <c>isakmp_quick.c</c>), under an established ISAKMP SA:
/// <code>
///  I1: HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]
///  R1: HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESPONDER-LIFETIME)]
///  I2: HDR*, HASH(3)
///  R2: HDR*, HASH(4), N(CONNECTED)           only when the commit bit was set
/// </code>
/// Inbound SPIs come from the kernel: the exchange asks (<see cref="AllocateSpi"/>) and waits for the answers
/// before it sends its SA payload. With the commit bit the initiator installs its SAs only on CONNECTED.
/// </summary>
internal sealed partial class QuickMode : IDisposable
{
    private readonly IsakmpSa ph1;
    private readonly ExchangeServices s;
    private readonly Dictionary<long, IpsecSaProtocol> spiRequests = [];
    private Outbox? @out;
    private readonly Dictionary<IpsecSaProtocol, uint> inboundSpis = [];
    private IReadOnlyList<Phase2Proposal>? ourProposals;
    private Phase2Choice? choice;
    private byte[]? nonceI;
    private byte[]? nonceR;
    private DhKeyPair? dh;
    private byte[]? peerKe;
    private bool sendIds;
    private IReadOnlyList<IdentificationPayload> peerIds = [];
    private bool commit;

    private QuickMode(IsakmpSa ph1, ExchangeServices services, uint messageId, bool isInitiator, IpsecPolicy policy, SainfoConfig sainfo)
    {
        this.ph1 = ph1;
        s = services;
        MessageId = messageId;
        IsInitiator = isInitiator;
        Policy = policy;
        Sainfo = sainfo;
        Iv = ph1.Phase2Iv(messageId);
        Deadline = services.Now + services.Timers.Phase2Timeout;
    }

    public enum Step
    {
        AwaitSpi,
        AwaitAnswer,
        AwaitHash3,
        AwaitConnected,
        Done,
        Failed,
    }

    public uint MessageId { get; }
    public bool IsInitiator { get; }
    public IpsecPolicy Policy { get; }
    public SainfoConfig Sainfo { get; }
    public AcquireRequest? Acquire { get; private init; }
    public Step State { get; private set; } = Step.AwaitSpi;

    /// <summary>Local and remote traffic (our outbound policy's view) this quick mode keys.</summary>
    public TrafficSelector LocalTraffic => Policy.Local;
    public TrafficSelector RemoteTraffic => Policy.Remote;

    /// <summary>The CBC chain of this exchange (RFC 2409 appendix B).</summary>
    public byte[] Iv { get; set; }

    public Retransmission? Resend { get; private set; }
    public DateTimeOffset Deadline { get; }
    public byte[]? LastSent { get; private set; }
    public string? LastError { get; set; }

    /// <summary>The SA pairs this exchange produced (set once, when done).</summary>
    public IReadOnlyList<IpsecSaPair> Installed { get; private set; } = [];

    public IEnumerable<long> SpiRequestIds => spiRequests.Keys;

    public string Index => RacoonText.Index(ph1.InitiatorCookie, ph1.ResponderCookie, MessageId);

    /// <summary>Initiator: ask the kernel for one inbound SPI per protocol of the policy's bundle.</summary>
    public static (QuickMode Exchange, IReadOnlyList<EngineIntent> Intents) Initiate(IsakmpSa ph1, ExchangeServices s, AcquireRequest acquire,
        SainfoConfig sainfo, Func<long> requestIds)
    {
        var qm = new QuickMode(ph1, s, s.RandomMessageId(), true, acquire.Policy, sainfo) { Acquire = acquire };
        ExchangeLog.InitiateNewPhase2Negotiation(s.Log, RacoonText.Endpoint(ph1.Local), RacoonText.Endpoint(ph1.Peer));
        var intents = qm.Run(() =>
        {
            foreach (var template in acquire.Policy.Templates)
            {
                qm.RequestSpi(template, requestIds());
            }
        });
        return (qm, intents);
    }

    /// <summary>Responder: the initiator's first message, already decrypted with this message id's IV.</summary>
    public static (QuickMode Exchange, IReadOnlyList<EngineIntent> Intents) Respond(IsakmpSa ph1, ExchangeServices s, InboundMessage message,
        byte[] nextIv, Func<long> requestIds)
    {
        var rest = message.AfterHash("quick mode");
        var hash = ComputeHash(ph1, message.Header.MessageId, null, rest);
        CheckHash(message, hash, "HASH(1)");
        var saRaw = message.Require(PayloadType.SecurityAssociation, "quick mode");
        var nonceI = message.Require(PayloadType.Nonce, NoncePayload.Read, "quick mode").Data;
        var ke = message.Optional(PayloadType.KeyExchange, KeyExchangePayload.Read);
        var ids = message.ReadAll(PayloadType.Identification, IdentificationPayload.Read).ToList();
        if (ids.Count is not (0 or 2))
        {
            throw ExchangeException.Abort($"quick mode with {ids.Count} ID payloads (0 or 2 expected)", NotifyType.InvalidIdInformation);
        }
        // Without IDs the traffic is the phase 1 peers' own (RFC 2409 5.5).
        var remoteTs = ids.Count == 2 ? Selectors.FromId(ids[0]) : TrafficSelector.Host(ph1.Peer.Address);
        var localTs = ids.Count == 2 ? Selectors.FromId(ids[1]) : TrafficSelector.Host(ph1.Local.Address);
        ExchangeLog.RespondNewPhase2Negotiation(s.Log, RacoonText.Endpoint(ph1.Local), RacoonText.Endpoint(ph1.Peer));
        var peerOriginal = ReadPeerOriginalAddress(ph1, message, peerIsInitiator: true, s.Log);
        if (ph1.NatT.InUse && s.Policies.FindOutbound(localTs, remoteTs) is null)
        {
            var (natLocal, natRemote) = NatTransportSelectors(ph1, localTs, remoteTs);
            if (s.Policies.FindOutbound(natLocal, natRemote) is { } natPolicy && natPolicy.Templates.All(t => t.Mode == IpsecSaMode.Transport))
            {
                (localTs, remoteTs) = (natLocal, natRemote);
            }
        }
        var (found, generated) = FindOrGeneratePolicy(ph1, s, message, saRaw, localTs, remoteTs);
        var policy = found ?? throw ExchangeException.Abort($"no policy found: {localTs} <=> {remoteTs}", NotifyType.InvalidIdInformation);
        var sainfo = SainfoSelector.Select(s.Config.Sainfos, new SainfoQuery
        {
            Local = Selectors.ToSainfoId(localTs),
            Remote = Selectors.ToSainfoId(remoteTs),
            RemoteIdNumber = ph1.Remote.Ph1Id,
            PeerIdentityMatches = ph1.PeerId is { } pid ? c => Identities.Matches(pid, c, ph1.Peer.Address) : null,
        }) ?? throw ExchangeException.Abort($"failed to get sainfo for {localTs} <=> {remoteTs}", NotifyType.InvalidIdInformation);
        var skipped = new List<string>();
        var proposals = Phase2SaCodec.Parse(message.Read(saRaw, SecurityAssociationPayload.Read), skipped, udp: ph1.NatT.InUse);
        var choice = Phase2ProposalMatcher.Select(proposals, policy.Templates, sainfo, ph1.Remote.ProposalCheck, out var why)
            ?? throw ExchangeException.Abort($"no suitable policy found: {why}{(skipped.Count > 0 ? $"; {string.Join("; ", skipped)}" : "")}", NotifyType.NoProposalChosen);
        if (choice.PfsGroup is not null && ke is null)
        {
            throw ExchangeException.Abort("PFS group is proposed but no KE payload", NotifyType.NoProposalChosen);
        }
        if (choice.PfsGroup is null && ke is not null)
        {
            throw ExchangeException.Abort("KE payload without a PFS group", NotifyType.PayloadMalformed);
        }
        var qm = new QuickMode(ph1, s, message.Header.MessageId, false, policy, sainfo)
        {
            Iv = nextIv,
            nonceI = nonceI,
            peerKe = ke?.Data,
            choice = choice,
            sendIds = ids.Count == 2,
            peerIds = ids,
            commit = (message.Header.Flags & IsakmpFlags.Commit) != 0,
            peerOriginalAddress = peerOriginal,
            PolicyGenerated = generated,
        };
        if (choice.PfsGroup is { } g)
        {
            var group = s.Groups.Find((DhGroupId)g) ?? throw ExchangeException.Abort($"PFS group {g} is not supported", NotifyType.NoProposalChosen);
            if (ke!.Data.Length != group.PublicValueLength)
            {
                throw ExchangeException.Abort($"KE payload of {ke.Data.Length} bytes, {group.Name} needs {group.PublicValueLength}", NotifyType.InvalidKeyInformation);
            }
            qm.dh = group.GenerateKeyPair();
        }
        var intents = qm.Run(() =>
        {
            foreach (var chosen in choice.Protocols)
            {
                var template = policy.Templates.First(t => t.Protocol == chosen.Protocol);
                qm.RequestSpi(template, requestIds());
            }
        });
        return (qm, intents);
    }

    /// <summary>One step of the exchange with its own outbox: what it wants done is returned, not appended anywhere.</summary>
    private IReadOnlyList<EngineIntent> Run(Action step) => Outbox.Run(o =>
    {
        @out = o;
        try
        {
            step();
        }
        finally
        {
            @out = null;
        }
    });

    private Outbox Out => @out ?? throw new InvalidOperationException("a quick mode step runs only inside Run");

    private void RequestSpi(SaTemplate template, long id)
    {
        var (local, remote) = Endpoints(template);
        spiRequests[id] = template.Protocol;
        Out.Add(new AllocateSpi(id, template.Protocol, remote, local, template.Reqid));
    }

    /// <summary>The SA endpoints: tunnel endpoints of the template, else the phase 1 peers.</summary>
    private (System.Net.IPAddress Local, System.Net.IPAddress Remote) Endpoints(SaTemplate template) =>
        template.Mode == IpsecSaMode.Tunnel && template.TunnelSource is not null && template.TunnelDestination is not null
            ? (template.TunnelSource, template.TunnelDestination)
            : (ph1.Local.Address, ph1.Peer.Address);

    /// <summary>The kernel's answer to one of our SPI requests.</summary>
    public IReadOnlyList<EngineIntent> SpiAllocated(SpiAllocation allocation) => Run(() => OnSpiAllocated(allocation));

    private void OnSpiAllocated(SpiAllocation allocation)
    {
        if (!spiRequests.Remove(allocation.RequestId, out var protocol))
        {
            return;
        }
        if (allocation.Spi is not { } spi)
        {
            throw ExchangeException.Abort($"failed to get SPI for {RacoonText.ProtocolName(protocol)}: {allocation.Error ?? "kernel refused"}", null);
        }
        inboundSpis[protocol] = spi;
        if (spiRequests.Count == 0 && State == Step.AwaitSpi)
        {
            if (IsInitiator)
            {
                SendFirst();
            }
            else
            {
                SendSecond();
            }
        }
    }

    private void SendFirst()
    {
        ourProposals = Phase2Offers.Build(Policy.Templates, Sainfo, inboundSpis);
        nonceI = s.RandomBytes(Math.Clamp(ph1.Remote.NonceSize, NoncePayload.MinimumLength, NoncePayload.MaximumLength));
        var rest = new List<Payload> { Phase2SaCodec.Build(ourProposals, UdpValues), new NoncePayload(nonceI) };
        if (Sainfo.PfsGroup is { } g)
        {
            var group = s.Groups.Find((DhGroupId)g) ?? throw ExchangeException.Abort($"pfs_group {g} is not supported", null);
            dh = group.GenerateKeyPair();
            rest.Add(new KeyExchangePayload(dh.PublicValue.ToArray()));
        }
        rest.Add(Selectors.ToId(Policy.Local));
        rest.Add(Selectors.ToId(Policy.Remote));
        rest.AddRange(NatOaPayloads(Policy.Templates.Any(t => t.Protocol == IpsecSaProtocol.Esp && t.Mode == IpsecSaMode.Transport)));
        sendIds = true;
        SendProtected(rest, nonceI: null, expectAnswer: true);
        State = Step.AwaitAnswer;
    }

    private void SendSecond()
    {
        var choice = this.choice!;
        nonceR = s.RandomBytes(Math.Clamp(ph1.Remote.NonceSize, NoncePayload.MinimumLength, NoncePayload.MaximumLength));
        var answer = new Phase2Proposal(choice.ProposalNumber, [.. choice.Protocols.Select(p => new Phase2ProtocolOffer(p.Protocol, inboundSpis[p.Protocol],
            [choice.LifetimeClaimed ? p.Transform with { LifetimeSeconds = choice.LifetimeSeconds } : p.Transform]))]);
        var rest = new List<Payload> { Phase2SaCodec.Build([answer], UdpValues), new NoncePayload(nonceR) };
        if (dh is not null)
        {
            rest.Add(new KeyExchangePayload(dh.PublicValue.ToArray()));
        }
        if (sendIds)
        {
            // Echo the initiator's IDs exactly as received (RFC 2409 5.5): it compares them with what it sent.
            rest.Add(peerIds[0]);
            rest.Add(peerIds[1]);
        }
        rest.AddRange(NatOaPayloads(choice.Protocols.Any(p => p.Protocol == IpsecSaProtocol.Esp && p.Transform.Mode == IpsecSaMode.Transport)));
        if (choice.LifetimeClaimed)
        {
            foreach (var p in choice.Protocols)
            {
                rest.Add(NotificationPayload.ResponderLifetime((ProtocolId)p.Protocol, p.PeerSpi,
                    DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, 1),
                    DataAttribute.Variable32((ushort)IpsecAttributeType.SaLifeDuration, choice.LifetimeSeconds)));
            }
        }
        SendProtected(rest, nonceI, expectAnswer: true, commit: commit);
        State = Step.AwaitHash3;
    }

    /// <summary>A message of this exchange, decrypted with <see cref="Iv"/>; <paramref name="nextIv"/> follows it.</summary>
    public IReadOnlyList<EngineIntent> Handle(InboundMessage message, byte[] nextIv) => Run(() => Receive(message, nextIv));

    private void Receive(InboundMessage message, byte[] nextIv)
    {
        switch (State)
        {
            case Step.AwaitAnswer when IsInitiator:
                InitiatorGotAnswer(message, nextIv);
                break;
            case Step.AwaitHash3 when !IsInitiator:
                ResponderGotHash3(message, nextIv);
                break;
            case Step.AwaitConnected when IsInitiator:
                InitiatorGotConnected(message, nextIv);
                break;
            default:
                throw ExchangeException.Drop($"unexpected quick mode message in state {State}");
        }
    }

    private void InitiatorGotAnswer(InboundMessage message, byte[] nextIv)
    {
        var rest = message.AfterHash("quick mode");
        CheckHash(message, ComputeHash(ph1, MessageId, nonceI, rest), "HASH(2)");
        var skipped = new List<string>();
        var answer = Phase2SaCodec.Parse(message.Require(PayloadType.SecurityAssociation, SecurityAssociationPayload.Read, "quick mode"), skipped, udp: ph1.NatT.InUse);
        var choice = Phase2ProposalMatcher.Verify(answer, ourProposals!, out var why)
            ?? throw ExchangeException.Abort($"the responder's proposal is unacceptable: {why}", NotifyType.NoProposalChosen);
        var nonceR = message.Require(PayloadType.Nonce, NoncePayload.Read, "quick mode").Data;
        var ke = message.Optional(PayloadType.KeyExchange, KeyExchangePayload.Read);
        if ((dh is null) != (ke is null))
        {
            throw ExchangeException.Abort(dh is null ? "KE payload without PFS" : "PFS requested but the responder sent no KE payload", NotifyType.NoProposalChosen);
        }
        var ids = message.ReadAll(PayloadType.Identification, IdentificationPayload.Read).ToList();
        if (ids.Count == 2 && (!Selectors.FromId(ids[0]).Equals(Policy.Local) || !Selectors.FromId(ids[1]).Equals(Policy.Remote))
            && !NattedIdsMatch(Selectors.FromId(ids[0]), Selectors.FromId(ids[1])))
        {
            throw ExchangeException.Abort($"the responder's IDs {Selectors.FromId(ids[0])} <=> {Selectors.FromId(ids[1])} differ from ours", NotifyType.InvalidIdInformation);
        }
        foreach (var n in message.ReadAll(PayloadType.Notification, NotificationPayload.Read).Where(n => n.NotifyType == NotifyType.ResponderLifetime))
        {
            choice = ApplyResponderLifetime(choice, n);
        }
        var peerOriginal = ReadPeerOriginalAddress(ph1, message, peerIsInitiator: false, s.Log);
        this.choice = choice;
        this.nonceR = nonceR;
        peerOriginalAddress = peerOriginal;
        peerKe = ke?.Data;
        Iv = nextIv;
        var hash3 = new byte[ph1.Keys!.Hash.HashLength];
        using (var prfA = ph1.Keys!.PrfA())
        {
            Phase2Hash.QuickModeHash3(prfA, MessageId, nonceI, this.nonceR, hash3);
        }
        var datagram = MessageCrypto.Encrypted(ph1.Header(ExchangeType.QuickMode, MessageId), [new HashPayload(hash3)], ph1.Keys!.Cipher, Iv);
        LastSent = datagram;
        Out.Send(ph1.Local, ph1.Peer, datagram, s.Timers.PerSend);
        if ((message.Header.Flags & IsakmpFlags.Commit) != 0)
        {
            // The responder committed: keep I2 for resending until CONNECTED says its SAs are in place.
            Resend = new Retransmission(s.Timers, datagram, s.Now);
            State = Step.AwaitConnected;
            return;
        }
        Resend = null;
        Install();
    }

    private void InitiatorGotConnected(InboundMessage message, byte[] nextIv)
    {
        var rest = message.AfterHash("quick mode");
        CheckHash(message, ComputeHash(ph1, MessageId, null, rest), "HASH(4)");
        if (!message.ReadAll(PayloadType.Notification, NotificationPayload.Read).Any(n => n.NotifyType == NotifyType.Connected))
        {
            throw ExchangeException.Drop("commit bit set but no CONNECTED notification", NotifyType.PayloadMalformed);
        }
        Iv = nextIv;
        Resend = null;
        Install();
    }

    private void ResponderGotHash3(InboundMessage message, byte[] nextIv)
    {
        var hash = message.Payloads.Count > 0 && message.Payloads[0].Type == PayloadType.Hash
            ? message.Read(message.Payloads[0], HashPayload.Read)
            : throw ExchangeException.Drop("quick mode: HASH(3) is not the first payload", NotifyType.InvalidHashInformation);
        var expected = new byte[ph1.Keys!.Hash.HashLength];
        using (var prfA = ph1.Keys!.PrfA())
        {
            Phase2Hash.QuickModeHash3(prfA, MessageId, nonceI, nonceR, expected);
        }
        if (!CryptographicOperations.FixedTimeEquals(hash.Data, expected))
        {
            throw ExchangeException.Drop("HASH(3) mismatched", NotifyType.InvalidHashInformation);
        }
        Iv = nextIv;
        Resend = null;
        Install();
        if (commit)
        {
            var connected = new NotificationPayload(Doi.Ipsec, ProtocolId.Isakmp, NotifyType.Connected,
                [.. ph1.CookieI, .. ph1.CookieR], []);
            SendProtected([connected], nonceI: null, expectAnswer: false, resetResend: false);
        }
    }

    public void Fail() => State = Step.Failed;

    public void Dispose() => dh?.Dispose();
}
