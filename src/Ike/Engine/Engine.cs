// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Phase1;
using KernelIpsec.Ike.Exchanges.Phase2;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// The IKEv1 engine: a pure state machine the daemon drives. No sockets, no kernel, no clock of its own.
/// <para>
/// Construct one per configuration:
/// <c>new Engine(config, preSharedKeys, certificates, policies, dhGroups, random, timeProvider, logger)</c> where
/// <c>certificates</c> gives our certificate and judges the peer's chain (<see cref="ICertificateVerifier"/>),
/// <c>policies</c> is the daemon's SPD mirror (<see cref="IPolicyLookup"/>, used when we respond to a quick mode),
/// <c>dhGroups</c> is Ike.Crypto's <c>DhGroups.CreateDefault()</c> and <c>random</c> a <see cref="SystemIkeRandom"/>.
/// Then feed it events; each call returns the intents to carry out, in order:
/// </para>
/// <list type="bullet">
/// <item><see cref="HandleDatagram"/>(local, remote, bytes): a UDP datagram received on port 500.</item>
/// <item><see cref="HandleAcquire"/>(acquire): the kernel's ACQUIRE for an outbound policy.</item>
/// <item><see cref="HandleSpiAllocated"/>(allocation): the kernel's answer to an <see cref="AllocateSpi"/> intent
/// (deliver it after the rest of the list that asked for it has been carried out).</item>
/// <item><see cref="HandleTimer"/>(now): when the time of the last <see cref="ArmTimer"/> intent has come.</item>
/// <item><see cref="HandleExpire"/>(expire): the kernel's soft (rekey if we initiated) or hard EXPIRE of an SA.</item>
/// <item><see cref="InitiatePhase1"/>, <see cref="DeletePhase1"/>, <see cref="FlushPhase1"/>: racoonctl establish-sa /
/// delete-sa / flush-sa; <see cref="Reconfigure"/>: SIGHUP; <see cref="Shutdown"/>: SIGTERM.</item>
/// </list>
/// <para>
/// Intents: <see cref="SendDatagram"/>, <see cref="AllocateSpi"/>, <see cref="InstallSaPair"/> (inbound = update the
/// larval SA of the allocated SPI, outbound = add), <see cref="DeleteIpsecSa"/>, <see cref="ArmTimer"/> (replaces the
/// previous one; one is always returned after <see cref="HandleTimer"/> when anything is pending),
/// <see cref="Phase1Up"/>, <see cref="Phase1Down"/>, <see cref="NegotiationFailed"/> (with the ACQUIRE it served, for an
/// ACQUIRE error to the kernel). <see cref="Phase1Sas"/> and <see cref="IpsecSas"/> list the state for racoonctl.
/// </para>
/// <para>
/// Not thread-safe: the daemon calls it from its one event loop. No exception escapes <see cref="HandleDatagram"/>.
/// It logs racoon's lines through the ILogger (LogInformation = racoon INFO, LogWarning = WARNING/NOTIFY,
/// LogError = ERROR, LogDebug = DEBUG) and never logs key material or pre-shared keys.
/// </para>
/// </summary>
public sealed class Engine : IDisposable
{
    private readonly ExchangeServices _s;
    private readonly List<IsakmpSa> _sas = [];
    private readonly List<InstalledSa> _installed = [];
    private readonly Dictionary<long, (IsakmpSa Sa, QuickMode Qm)> _spiRequests = [];
    private readonly HashSet<IPAddress> _contacted = [];
    private long _nextRequestId;
    private DateTimeOffset? _armed;

    public Engine(RacoonConfig config, IPreSharedKeyStore preSharedKeys, ICertificateVerifier certificates, IPolicyLookup policies,
        DhGroups groups, IIkeRandom random, TimeProvider clock, ILogger logger)
    {
        var t = config.Timers;
        var timers = new RetransmitSettings(t.Counter, t.Interval, Math.Max(1, t.PerSend), t.Phase1, t.Phase2);
        _s = new ExchangeServices
        {
            Config = config,
            PreSharedKeys = preSharedKeys,
            Certificates = certificates,
            Policies = policies,
            Groups = groups,
            Random = random,
            Clock = clock,
            Log = logger,
            Timers = timers,
            Received = new ReceivedPacketCache(timers.Interval * (timers.Counter + 1)),
        };
    }

    private ILogger Log => _s.Log;

    /// <summary>The ISAKMP SAs the engine holds (negotiating and established).</summary>
    public IReadOnlyList<Phase1Status> Phase1Sas =>
        [.. _sas.Select(sa => new Phase1Status(sa.Local, sa.Peer, sa.InitiatorCookie, sa.ResponderCookie, sa.IsInitiator,
            sa.State == IsakmpSaState.Established, sa.Exchange?.ModeName ?? sa.Mode.ToString(), sa.EstablishedAt, sa.ExpiresAt, sa.QuickModes.Count))];

    /// <summary>The IPsec SA pairs installed and not deleted since.</summary>
    public IReadOnlyList<IpsecSaPair> IpsecSas => [.. _installed.Select(i => i.Pair)];

    public IReadOnlyList<EngineIntent> HandleDatagram(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram)
    {
        var bytes = datagram.ToArray();
        var header = IsakmpHeader.Read(bytes);
        if (!header.TryGetValue(out var h, out var error))
        {
            Log.LogError("invalid ISAKMP packet from {Remote}: {Error}", RacoonText.Endpoint(remote), error.Message);
            return Finish();
        }
        if (h.Length != bytes.Length)
        {
            Log.LogError("packet length mismatch from {Remote}: header says {Declared}, received {Received} bytes", RacoonText.Endpoint(remote), h.Length, bytes.Length);
            return Finish();
        }
        var fingerprint = ReceivedPacketCache.Fingerprint(bytes);
        if (_s.Received.TryGet(fingerprint, _s.Now, out var answer, out var times))
        {
            Log.LogWarning("the packet is retransmitted by {Remote} ({Times}).", RacoonText.Endpoint(remote), times);
            if (answer is not null)
            {
                _s.Send(local, remote, answer, _s.Timers.PerSend);
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
                    QuickModeMessage(remote, h, bytes, fingerprint);
                    break;
                case ExchangeType.Informational:
                    InformationalMessage(remote, h, bytes, fingerprint);
                    break;
                default:
                    Log.LogError("unsupported exchange {Exchange} from {Remote}", (byte)h.Exchange, RacoonText.Endpoint(remote));
                    break;
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            // A packet must never take the daemon down; what it broke is a bug to report, not a reason to stop.
            Log.LogError(e, "internal error while handling a packet from {Remote}, packet dropped: {Message}", RacoonText.Endpoint(remote), e.Message);
        }
        return Finish();
    }

    public IReadOnlyList<EngineIntent> HandleAcquire(AcquireRequest acquire)
    {
        Acquire(acquire);
        return Finish();
    }

    private void Acquire(AcquireRequest acquire)
    {
        var busy = _sas.SelectMany(sa => sa.QuickModes.Values).Any(q => q.IsInitiator && SamePolicy(q.Policy, acquire.Policy))
            || _sas.Any(sa => sa.PendingAcquires.Any(a => SamePolicy(a.Policy, acquire.Policy)));
        if (busy)
        {
            Log.LogDebug("ignore the acquire because ph2 found");
            return;
        }
        var established = _sas.FirstOrDefault(sa => sa.State == IsakmpSaState.Established && sa.Peer.Address.Equals(acquire.Remote));
        if (established is not null)
        {
            StartQuickMode(established, acquire);
            return;
        }
        var negotiating = _sas.FirstOrDefault(sa => sa.State == IsakmpSaState.Negotiating && sa.Peer.Address.Equals(acquire.Remote));
        if (negotiating is not null)
        {
            negotiating.PendingAcquires.Add(acquire);
            return;
        }
        var remote = RemoteSelector.Select(_s.Config.Remotes, new RemoteQuery { Peer = acquire.Remote });
        if (remote is null || remote.Passive)
        {
            var why = remote is null ? $"no configuration found for {acquire.Remote}." : $"because of passive mode, ignore the acquire message for {acquire.Remote}";
            Log.LogError("{Why}", why);
            _s.Out.Add(new NegotiationFailed(NegotiationPhase.Phase1, new IPEndPoint(acquire.Local, 500), new IPEndPoint(acquire.Remote, remote?.Port ?? 500), why, acquire));
            return;
        }
        Log.LogInformation("IPsec-SA request for {Remote} queued due to no phase1 found.", acquire.Remote);
        var sa = StartPhase1(new IPEndPoint(acquire.Local, 500), new IPEndPoint(acquire.Remote, remote.Port), remote);
        sa?.PendingAcquires.Add(acquire);
    }

    /// <summary>
    /// Start phase 1 with a peer (racoonctl establish-sa isakmp), with the remote section for its address or the one
    /// named <paramref name="remoteName"/>.
    /// </summary>
    public IReadOnlyList<EngineIntent> InitiatePhase1(IPEndPoint local, IPEndPoint remote, string? remoteName = null)
    {
        if (_sas.Any(sa => sa.Peer.Address.Equals(remote.Address) && sa.State != IsakmpSaState.Dead))
        {
            Log.LogInformation("ISAKMP-SA to {Remote} already exists or is being negotiated.", remote.Address);
            return Finish();
        }
        var config = remoteName is not null ? _s.Config.FindRemoteByName(remoteName) : RemoteSelector.Select(_s.Config.Remotes, new RemoteQuery { Peer = remote.Address });
        if (config is null)
        {
            Log.LogError("no configuration found for {Remote}.", remote.Address);
            _s.Out.Add(new NegotiationFailed(NegotiationPhase.Phase1, local, remote, $"no configuration found for {remote.Address}.", null));
        }
        else
        {
            StartPhase1(local, remote, config);
        }
        return Finish();
    }

    /// <summary>Delete every ISAKMP SA with a peer, telling it (racoonctl delete-sa isakmp).</summary>
    public IReadOnlyList<EngineIntent> DeletePhase1(IPAddress remote)
    {
        foreach (var sa in _sas.Where(sa => sa.Peer.Address.Equals(remote)).ToList())
        {
            if (sa.State == IsakmpSaState.Established)
            {
                Informational.SendProtected(sa, _s, [DeletePayload.ForIsakmp(sa.InitiatorCookie, sa.ResponderCookie)]);
            }
            RemovePhase1(sa, "deleted by the administrator");
        }
        return Finish();
    }

    /// <summary>Delete every ISAKMP SA, telling each peer (racoonctl flush-sa isakmp).</summary>
    public IReadOnlyList<EngineIntent> FlushPhase1()
    {
        DeleteAllPhase1("flushed by the administrator");
        return Finish();
    }

    private void DeleteAllPhase1(string reason)
    {
        foreach (var sa in _sas.ToList())
        {
            if (sa.State == IsakmpSaState.Established)
            {
                Informational.SendProtected(sa, _s, [DeletePayload.ForIsakmp(sa.InitiatorCookie, sa.ResponderCookie)]);
            }
            RemovePhase1(sa, reason);
        }
    }

    /// <summary>
    /// SIGHUP with a good configuration: new negotiations use <paramref name="config"/>; running and established
    /// SAs keep the remote section they were made with (racoon keeps them when they still match).
    /// </summary>
    public IReadOnlyList<EngineIntent> Reconfigure(RacoonConfig config)
    {
        _s.Config = config;
        return Finish();
    }

    /// <summary>
    /// SIGTERM: DELETE notifications for every IPsec SA and ISAKMP SA to their peers, the kernel SAs removed,
    /// every ISAKMP SA gone. Nothing is armed afterwards.
    /// </summary>
    public IReadOnlyList<EngineIntent> Shutdown()
    {
        foreach (var entry in _installed.ToList())
        {
            var p = entry.Pair;
            if (entry.Phase1.State == IsakmpSaState.Established && p.Protocol != IpsecSaProtocol.IpComp)
            {
                Informational.SendProtected(entry.Phase1, _s, [DeletePayload.ForIpsec((ProtocolId)p.Protocol, p.InboundSpi)]);
            }
            _s.Out.Add(new DeleteIpsecSa(p.Protocol, p.InboundSpi, p.RemoteAddress, p.LocalAddress));
            _s.Out.Add(new DeleteIpsecSa(p.Protocol, p.OutboundSpi, p.LocalAddress, p.RemoteAddress));
        }
        _installed.Clear();
        DeleteAllPhase1("racoon shutting down");
        return Finish();
    }

    public IReadOnlyList<EngineIntent> HandleSpiAllocated(SpiAllocation allocation)
    {
        if (!_spiRequests.Remove(allocation.RequestId, out var owner))
        {
            Log.LogDebug("SPI allocation {Id} belongs to no running exchange", allocation.RequestId);
            return Finish();
        }
        var (sa, qm) = owner;
        try
        {
            qm.SpiAllocated(allocation);
            CollectQuickMode(sa, qm, fingerprint: null);
        }
        catch (ExchangeException f)
        {
            FailQuickMode(sa, qm, f.Message, f.Notify);
        }
        return Finish();
    }

    public IReadOnlyList<EngineIntent> HandleExpire(ExpireEvent expire)
    {
        var entry = _installed.FirstOrDefault(i => i.Pair.Protocol == expire.Protocol
            && ((i.Pair.InboundSpi == expire.Spi && i.Pair.LocalAddress.Equals(expire.Destination))
                || (i.Pair.OutboundSpi == expire.Spi && i.Pair.RemoteAddress.Equals(expire.Destination))));
        if (entry is null)
        {
            Log.LogDebug("expire for an SA we do not know: {Protocol} spi={Spi}", expire.Protocol, expire.Spi);
            return Finish();
        }
        if (!expire.Hard)
        {
            // racoon renegotiates on the soft expire only for SAs it initiated; the responder waits for the peer.
            // Once per pair: its other direction's soft expire (installed a moment later) must not rekey again.
            if (entry.WeInitiated && !entry.Rekeying && !entry.Replaced)
            {
                entry.Rekeying = true;
                var acquire = entry.Acquire ?? new AcquireRequest(0, entry.Pair.LocalAddress, entry.Pair.RemoteAddress, entry.Policy);
                Acquire(acquire);
            }
            return Finish();
        }
        _installed.Remove(entry);
        var inboundExpired = entry.Pair.InboundSpi == expire.Spi;
        var other = inboundExpired
            ? new DeleteIpsecSa(entry.Pair.Protocol, entry.Pair.OutboundSpi, entry.Pair.LocalAddress, entry.Pair.RemoteAddress)
            : new DeleteIpsecSa(entry.Pair.Protocol, entry.Pair.InboundSpi, entry.Pair.RemoteAddress, entry.Pair.LocalAddress);
        _s.Out.Add(other);
        if (entry.Phase1.State == IsakmpSaState.Established && entry.Pair.Protocol != IpsecSaProtocol.IpComp)
        {
            Informational.SendProtected(entry.Phase1, _s, [DeletePayload.ForIpsec((ProtocolId)entry.Pair.Protocol, entry.Pair.InboundSpi)]);
        }
        Log.LogInformation("IPsec-SA expired: {Sa}", RacoonText.IpsecSa(entry.Pair.Protocol, entry.Pair.Mode, entry.Pair.RemoteAddress, entry.Pair.LocalAddress, entry.Pair.InboundSpi));
        return Finish();
    }

    public IReadOnlyList<EngineIntent> HandleTimer(DateTimeOffset now)
    {
        // The daemon's timer has fired: whatever is next must be armed again.
        _armed = null;
        foreach (var sa in _sas.ToList())
        {
            if (sa.State == IsakmpSaState.Negotiating)
            {
                Phase1Timers(sa, now);
            }
            else if (sa.State == IsakmpSaState.Established)
            {
                EstablishedTimers(sa, now);
            }
            if (sa.State == IsakmpSaState.Dead)
            {
                continue;
            }
            foreach (var qm in sa.QuickModes.Values.ToList())
            {
                if (now >= qm.Deadline || (qm.Resend is { } r && r.Exhausted && now >= r.NextDue))
                {
                    FailQuickMode(sa, qm, $"phase2 negotiation failed due to time up. {qm.Index}{(qm.LastError is null ? "" : $" (last error: {qm.LastError})")}", null, timedOut: true);
                }
                else if (qm.Resend is { } resend && now >= resend.NextDue && resend.Fire(now) is var copies and > 0)
                {
                    Log.LogDebug("resend phase2 packet {Index}", qm.Index);
                    _s.Send(sa.Local, sa.Peer, resend.Datagram, copies);
                }
            }
        }
        _s.Received.Sweep(now);
        return Finish();
    }

    private void Phase1Timers(IsakmpSa sa, DateTimeOffset now)
    {
        var exhausted = sa.Resend is { } r && r.Exhausted && now >= r.NextDue;
        if (now >= sa.NegotiationDeadline || exhausted)
        {
            var reason = $"phase1 negotiation failed due to time up. {sa.Index}{(sa.LastError is null ? "" : $" (last error: {sa.LastError})")}";
            Log.LogError("{Reason}", reason);
            FailPhase1(sa, reason);
            return;
        }
        if (sa.Resend is { } resend && now >= resend.NextDue && resend.Fire(now) is var copies and > 0)
        {
            Log.LogDebug("resend phase1 packet {Index}", sa.Index);
            _s.Send(sa.Local, sa.Peer, resend.Datagram, copies);
        }
    }

    private void EstablishedTimers(IsakmpSa sa, DateTimeOffset now)
    {
        if (sa.ExpiresAt is { } expires && now >= expires)
        {
            Log.LogInformation("ISAKMP-SA expired {Local}-{Remote} spi:{Index}", RacoonText.Endpoint(sa.Local), RacoonText.Endpoint(sa.Peer), sa.Index);
            Informational.SendProtected(sa, _s, [DeletePayload.ForIsakmp(sa.InitiatorCookie, sa.ResponderCookie)]);
            RemovePhase1(sa, "ISAKMP-SA expired");
            return;
        }
        if (sa.DpdNext is { } due && now >= due)
        {
            if (sa.DpdOutstanding is not null)
            {
                sa.DpdFailures++;
                if (sa.DpdFailures >= sa.Remote.DpdMaxFail)
                {
                    Log.LogError("DPD: remote (ISAKMP-SA spi={Index}) seems to be dead.", sa.Index);
                    PurgePeerSas(sa, includeThisPhase1: true);
                    RemovePhase1(sa, "DPD: peer seems to be dead");
                    return;
                }
            }
            sa.DpdSequence++;
            sa.DpdOutstanding = sa.DpdSequence;
            Informational.SendProtected(sa, _s, [NotificationPayload.Dpd(false, sa.InitiatorCookie, sa.ResponderCookie, sa.DpdSequence)]);
            sa.DpdNext = now + sa.Remote.DpdRetry;
        }
    }

    private IsakmpSa? StartPhase1(IPEndPoint local, IPEndPoint peer, RemoteConfig remote)
    {
        var mode = remote.InitiatorMode;
        if (mode == ExchangeMode.Base)
        {
            Log.LogWarning("base mode is not supported; initiating main mode with {Remote}", RacoonText.Endpoint(peer));
            mode = ExchangeMode.Main;
        }
        var sa = new IsakmpSa(true, mode, local, peer, remote, _s.RandomCookie())
        {
            NegotiationDeadline = _s.Now + _s.Timers.Phase1Timeout,
        };
        Phase1Exchange exchange = sa.Mode == ExchangeMode.Aggressive ? new AggressiveMode(sa, _s) : new MainMode(sa, _s);
        exchange.FirstContact = !_contacted.Contains(peer.Address);
        sa.Exchange = exchange;
        Log.LogInformation("initiate new phase 1 negotiation: {Local}<=>{Remote}", RacoonText.Endpoint(local), RacoonText.Endpoint(peer));
        Log.LogInformation("begin {Mode} mode.", exchange.ModeName);
        try
        {
            exchange.Start();
        }
        catch (ExchangeException f)
        {
            Log.LogError("{Message}", f.Message);
            Log.LogError("phase1 negotiation failed.");
            _s.Out.Add(new NegotiationFailed(NegotiationPhase.Phase1, local, peer, f.Message, null));
            sa.Dispose();
            return null;
        }
        _sas.Add(sa);
        return sa;
    }

    private IsakmpSa? FindPhase1(ulong initiatorCookie, ulong responderCookie, IPEndPoint remote)
    {
        foreach (var sa in _sas)
        {
            if (sa.InitiatorCookie != initiatorCookie)
            {
                continue;
            }
            if (sa.ResponderCookie == responderCookie)
            {
                return sa;
            }
            if (sa.IsInitiator && sa.ResponderCookie == 0 && responderCookie != 0 && sa.Peer.Address.Equals(remote.Address))
            {
                return sa;
            }
        }
        return null;
    }

    private void Phase1Message(IPEndPoint local, IPEndPoint remote, IsakmpHeader h, byte[] bytes, string fingerprint)
    {
        var sa = FindPhase1(h.InitiatorCookie, h.ResponderCookie, remote);
        var isNew = false;
        if (sa is null)
        {
            if (h.ResponderCookie != 0 || h.IsEncrypted)
            {
                Log.LogError("unknown ISAKMP-SA {Index} from {Remote}, packet ignored", RacoonText.Index(h.InitiatorCookie, h.ResponderCookie), RacoonText.Endpoint(remote));
                return;
            }
            var mode = h.Exchange == ExchangeType.Aggressive ? ExchangeMode.Aggressive : ExchangeMode.Main;
            var config = RemoteSelector.Select(_s.Config.Remotes, new RemoteQuery { Peer = remote.Address, ExchangeMode = mode }, out var ambiguous);
            if (config is null)
            {
                Log.LogError("{Why}", ambiguous ? $"multiple non-exact configurations found for {remote.Address}." : $"couldn't find configuration for {remote.Address} ({(mode == ExchangeMode.Main ? "main" : "aggressive")} mode).");
                return;
            }
            sa = new IsakmpSa(false, mode, local, remote, config, h.InitiatorCookie)
            {
                ResponderCookie = _s.RandomCookie(),
                NegotiationDeadline = _s.Now + _s.Timers.Phase1Timeout,
            };
            Phase1Exchange exchange = mode == ExchangeMode.Aggressive ? new AggressiveMode(sa, _s) : new MainMode(sa, _s);
            exchange.FirstContact = !_contacted.Contains(remote.Address);
            sa.Exchange = exchange;
            isNew = true;
            Log.LogInformation("respond new phase 1 negotiation: {Local}<=>{Remote}", RacoonText.Endpoint(local), RacoonText.Endpoint(remote));
            Log.LogInformation("begin {Mode} mode.", exchange.ModeName);
        }
        if (sa.State != IsakmpSaState.Negotiating)
        {
            Log.LogDebug("ignore a phase 1 message for the established ISAKMP-SA {Index}", sa.Index);
            return;
        }
        var learnsCookie = sa.IsInitiator && sa.ResponderCookie == 0;
        var before = sa.Exchange!.LastSent;
        try
        {
            if (learnsCookie)
            {
                sa.ResponderCookie = h.ResponderCookie;
            }
            byte[]? nextIv = null;
            InboundMessage message;
            if (h.IsEncrypted)
            {
                if (!sa.HasKeys)
                {
                    throw ExchangeException.Drop("encrypted phase 1 message before the keys exist");
                }
                var (plain, iv) = MessageCrypto.Decrypt(h, bytes, sa.Cipher!, sa.Iv);
                nextIv = iv;
                try
                {
                    message = MessageCrypto.Open(h, bytes, plain);
                }
                catch (ExchangeException e) when (!e.Fatal)
                {
                    // Garbage after decryption: the keys differ, which with pre-shared keys means the keys in psk.txt do.
                    throw ExchangeException.Drop($"failed to decrypt {h.Exchange} message from {RacoonText.Endpoint(remote)}: {e.Message} (pre-shared key mismatch?)", e.Notify);
                }
            }
            else
            {
                message = MessageCrypto.Open(h, bytes, bytes.AsSpan(IsakmpHeader.Size));
            }
            sa.Exchange.Handle(message, nextIv);
        }
        catch (ExchangeException f)
        {
            if (learnsCookie && !f.Fatal)
            {
                sa.ResponderCookie = 0;
            }
            if (isNew)
            {
                Log.LogError("{Message}", f.Message);
                Log.LogError("phase1 negotiation failed.");
                if (f.Notify is { } notify && f.Fatal)
                {
                    Informational.SendUnprotected(_s, local, remote, h.InitiatorCookie, sa.ResponderCookie, notify);
                }
                sa.Dispose();
                return;
            }
            Phase1Failure(sa, f);
            return;
        }
        if (isNew)
        {
            _sas.Add(sa);
        }
        var after = sa.Exchange.LastSent;
        _s.Received.Remember(fingerprint, ReferenceEquals(after, before) ? null : after, _s.Now);
        if (sa.State == IsakmpSaState.Established)
        {
            Phase1Established(sa);
        }
    }

    private void Phase1Failure(IsakmpSa sa, ExchangeException f)
    {
        Log.LogError("{Message}", f.Message);
        if (!f.Fatal)
        {
            sa.LastError = f.Message;
            return;
        }
        Log.LogError("phase1 negotiation failed.");
        if (f.Notify is { } notify)
        {
            Informational.SendUnprotected(_s, sa.Local, sa.Peer, sa.InitiatorCookie, sa.ResponderCookie, notify);
        }
        FailPhase1(sa, f.Message);
    }

    private void FailPhase1(IsakmpSa sa, string reason)
    {
        foreach (var acquire in sa.PendingAcquires)
        {
            var template = acquire.Policy.Templates.Count > 0 ? acquire.Policy.Templates[0] : null;
            Log.LogError("phase2 negotiation failed due to time up waiting for phase1. {Sa}",
                template is null ? acquire.Remote.ToString() : $"{RacoonText.ProtocolName(template.Protocol)} {RacoonText.Endpoint(acquire.Remote, 0)}->{RacoonText.Endpoint(acquire.Local, 0)}");
            _s.Out.Add(new NegotiationFailed(NegotiationPhase.Phase1, sa.Local, sa.Peer, reason, acquire));
        }
        if (sa.PendingAcquires.Count == 0)
        {
            _s.Out.Add(new NegotiationFailed(NegotiationPhase.Phase1, sa.Local, sa.Peer, reason, null));
        }
        sa.PendingAcquires.Clear();
        sa.State = IsakmpSaState.Dead;
        _sas.Remove(sa);
        sa.Dispose();
    }

    private void Phase1Established(IsakmpSa sa)
    {
        _contacted.Add(sa.Peer.Address);
        if (sa.Exchange!.PeerSentInitialContact)
        {
            PurgePeerSas(sa, includeThisPhase1: false);
        }
        foreach (var acquire in sa.PendingAcquires.ToList())
        {
            StartQuickMode(sa, acquire);
        }
        sa.PendingAcquires.Clear();
    }

    /// <summary>INITIAL-CONTACT or a dead peer: every other SA with this peer goes (racoon <c>isakmp_info_recv_initialcontact</c>).</summary>
    private void PurgePeerSas(IsakmpSa keep, bool includeThisPhase1)
    {
        foreach (var entry in _installed.Where(i => i.Pair.RemoteAddress.Equals(keep.Peer.Address) && (includeThisPhase1 || i.Phase1 != keep)).ToList())
        {
            _installed.Remove(entry);
            var p = entry.Pair;
            _s.Out.Add(new DeleteIpsecSa(p.Protocol, p.InboundSpi, p.RemoteAddress, p.LocalAddress));
            _s.Out.Add(new DeleteIpsecSa(p.Protocol, p.OutboundSpi, p.LocalAddress, p.RemoteAddress));
            Log.LogInformation("purged IPsec-SA proto_id={Protocol} spi={Spi}.", RacoonText.ProtocolName(p.Protocol), p.InboundSpi);
        }
        if (!includeThisPhase1)
        {
            foreach (var old in _sas.Where(s => s != keep && s.Peer.Address.Equals(keep.Peer.Address) && s.State == IsakmpSaState.Established).ToList())
            {
                Log.LogInformation("purged ISAKMP-SA spi={Index}.", old.Index);
                RemovePhase1(old, "purged by INITIAL-CONTACT");
            }
        }
    }

    private void RemovePhase1(IsakmpSa sa, string reason)
    {
        foreach (var qm in sa.QuickModes.Values.ToList())
        {
            FailQuickMode(sa, qm, $"phase2 negotiation failed: {reason}", null);
        }
        var wasUp = sa.State == IsakmpSaState.Established;
        sa.State = IsakmpSaState.Dead;
        _sas.Remove(sa);
        if (wasUp)
        {
            _s.Out.Add(new Phase1Down(sa.Local, sa.Peer, sa.InitiatorCookie, sa.ResponderCookie, reason));
        }
        sa.Dispose();
    }

    private void StartQuickMode(IsakmpSa sa, AcquireRequest acquire)
    {
        var sainfo = SainfoSelector.Select(_s.Config.Sainfos, new SainfoQuery
        {
            Local = Selectors.ToSainfoId(acquire.Policy.Local),
            Remote = Selectors.ToSainfoId(acquire.Policy.Remote),
            RemoteIdNumber = sa.Remote.Ph1Id,
            PeerIdentityMatches = sa.PeerId is { } pid ? c => Identities.Matches(pid, c, sa.Peer.Address) : null,
        });
        if (sainfo is null)
        {
            var why = $"failed to get sainfo for {acquire.Policy.Local} <=> {acquire.Policy.Remote}.";
            Log.LogError("{Why}", why);
            _s.Out.Add(new NegotiationFailed(NegotiationPhase.Phase2, sa.Local, sa.Peer, why, acquire));
            return;
        }
        var qm = QuickMode.Initiate(sa, _s, acquire, sainfo, () => ++_nextRequestId);
        sa.QuickModes[qm.MessageId] = qm;
        sa.UsedMessageIds.Add(qm.MessageId);
        foreach (var id in qm.SpiRequestIds)
        {
            _spiRequests[id] = (sa, qm);
        }
    }

    private void QuickModeMessage(IPEndPoint remote, IsakmpHeader h, byte[] bytes, string fingerprint)
    {
        var sa = FindPhase1(h.InitiatorCookie, h.ResponderCookie, remote);
        if (sa is null || sa.State != IsakmpSaState.Established)
        {
            Log.LogError("{Why} {Index}, quick mode packet from {Remote} ignored",
                sa is null ? "unknown ISAKMP-SA" : "ISAKMP-SA not established yet", RacoonText.Index(h.InitiatorCookie, h.ResponderCookie), RacoonText.Endpoint(remote));
            return;
        }
        if (!h.IsEncrypted)
        {
            Log.LogError("quick mode packet from {Remote} is not encrypted, ignored", RacoonText.Endpoint(remote));
            return;
        }
        sa.QuickModes.TryGetValue(h.MessageId, out var qm);
        if (qm is null && sa.UsedMessageIds.Contains(h.MessageId))
        {
            Log.LogWarning("ignore a quick mode message with the finished message id {MessageId:x8} from {Remote} (replayed?)", h.MessageId, RacoonText.Endpoint(remote));
            return;
        }
        try
        {
            var iv = qm?.Iv ?? sa.Phase2Iv(h.MessageId);
            var (plain, nextIv) = MessageCrypto.Decrypt(h, bytes, sa.Cipher!, iv);
            var message = MessageCrypto.Open(h, bytes, plain);
            if (qm is null)
            {
                qm = QuickMode.Respond(sa, _s, message, nextIv, () => ++_nextRequestId);
                sa.QuickModes[qm.MessageId] = qm;
                sa.UsedMessageIds.Add(qm.MessageId);
                foreach (var id in qm.SpiRequestIds)
                {
                    _spiRequests[id] = (sa, qm);
                }
                sa.LastHeardFromPeer = _s.Now;
                _s.Received.Remember(fingerprint, null, _s.Now);
                QuickModeFingerprints[qm] = fingerprint;
                return;
            }
            var before = qm.LastSent;
            qm.Handle(message, nextIv);
            sa.LastHeardFromPeer = _s.Now;
            _s.Received.Remember(fingerprint, ReferenceEquals(before, qm.LastSent) ? null : qm.LastSent, _s.Now);
            CollectQuickMode(sa, qm, fingerprint);
        }
        catch (ExchangeException f)
        {
            if (qm is null || !f.Fatal)
            {
                Log.LogError("{Message}", f.Message);
                if (qm is not null)
                {
                    qm.LastError = f.Message;
                }
                else if (f.Fatal)
                {
                    Log.LogError("phase2 negotiation failed.");
                    if (f.Notify is { } notify)
                    {
                        Informational.SendProtected(sa, _s, [new NotificationPayload(Doi.Ipsec, ProtocolId.IpsecEsp, notify, [], [])]);
                    }
                }
                return;
            }
            FailQuickMode(sa, qm, f.Message, f.Notify);
        }
    }

    /// <summary>The first message of a responder's quick mode, whose answer exists only once the SPIs are allocated.</summary>
    private Dictionary<QuickMode, string> QuickModeFingerprints { get; } = [];

    private void CollectQuickMode(IsakmpSa sa, QuickMode qm, string? fingerprint)
    {
        if (QuickModeFingerprints.TryGetValue(qm, out var first) && qm.LastSent is { } answer && qm.State != QuickMode.Step.AwaitSpi)
        {
            _s.Received.SetAnswer(first, answer);
            QuickModeFingerprints.Remove(qm);
        }
        if (qm.State != QuickMode.Step.Done)
        {
            return;
        }
        sa.QuickModes.Remove(qm.MessageId);
        QuickModeFingerprints.Remove(qm);
        foreach (var pair in qm.Installed)
        {
            var previous = _installed.FirstOrDefault(i => i.Rekeying && i.Pair.Protocol == pair.Protocol && SamePolicy(i.Policy, qm.Policy));
            if (previous is not null)
            {
                previous.Rekeying = false;
                previous.Replaced = true;
            }
            _installed.Add(new InstalledSa(pair, sa, qm.IsInitiator, qm.Policy, qm.Sainfo, qm.Acquire));
        }
        qm.Dispose();
    }

    private void FailQuickMode(IsakmpSa sa, QuickMode qm, string reason, NotifyType? notify, bool timedOut = false)
    {
        if (!timedOut)
        {
            Log.LogError("{Reason}", reason);
            Log.LogError("phase2 negotiation failed.");
        }
        else
        {
            Log.LogError("{Reason}", reason);
        }
        if (notify is { } n && sa.State == IsakmpSaState.Established)
        {
            Informational.SendProtected(sa, _s, [new NotificationPayload(Doi.Ipsec, ProtocolId.IpsecEsp, n, [], [])]);
        }
        qm.Fail();
        sa.QuickModes.Remove(qm.MessageId);
        QuickModeFingerprints.Remove(qm);
        foreach (var id in _spiRequests.Where(r => r.Value.Qm == qm).Select(r => r.Key).ToList())
        {
            _spiRequests.Remove(id);
        }
        _s.Out.Add(new NegotiationFailed(NegotiationPhase.Phase2, sa.Local, sa.Peer, reason, qm.Acquire));
        qm.Dispose();
    }

    private void InformationalMessage(IPEndPoint remote, IsakmpHeader h, byte[] bytes, string fingerprint)
    {
        var sa = FindPhase1(h.InitiatorCookie, h.ResponderCookie, remote);
        if (!h.IsEncrypted)
        {
            // Unauthenticated: anyone could have sent it. Log what it says, act on nothing (weak_phase1_check off).
            var said = MessageCrypto.Open(h, bytes, bytes.AsSpan(IsakmpHeader.Size)) is var m
                ? string.Join(", ", m.Payloads.Select(p => p.Type == PayloadType.Notification && NotificationPayload.Read(p.Body).TryGetValue(out var n, out _)
                    ? NotifyNames.Name(n.NotifyType) : p.Type.ToString()))
                : "";
            Log.LogWarning("ignore unauthenticated informational from {Remote}: {Said}", RacoonText.Endpoint(remote), said);
            if (sa is not null && sa.State == IsakmpSaState.Negotiating)
            {
                sa.LastError = $"the peer sent an unauthenticated {said}";
            }
            return;
        }
        if (sa is null || sa.State != IsakmpSaState.Established)
        {
            Log.LogError("{Why} {Index}, informational packet from {Remote} ignored",
                sa is null ? "unknown ISAKMP-SA" : "ISAKMP-SA not established yet", RacoonText.Index(h.InitiatorCookie, h.ResponderCookie), RacoonText.Endpoint(remote));
            return;
        }
        InboundMessage message;
        try
        {
            var (plain, _) = MessageCrypto.Decrypt(h, bytes, sa.Cipher!, sa.Phase2Iv(h.MessageId));
            message = MessageCrypto.Open(h, bytes, plain);
            Informational.Verify(sa, message);
        }
        catch (ExchangeException f)
        {
            Log.LogError("{Message}", f.Message);
            return;
        }
        _s.Received.Remember(fingerprint, null, _s.Now);
        sa.LastHeardFromPeer = _s.Now;
        foreach (var payload in message.Payloads.Skip(1))
        {
            try
            {
                if (payload.Type == PayloadType.Notification)
                {
                    Notification(sa, message.Read(payload, NotificationPayload.Read));
                }
                else if (payload.Type == PayloadType.Delete)
                {
                    Delete(sa, message.Read(payload, DeletePayload.Read));
                }
            }
            catch (ExchangeException f)
            {
                Log.LogError("{Message}", f.Message);
            }
            if (sa.State == IsakmpSaState.Dead)
            {
                break;
            }
        }
    }

    private void Notification(IsakmpSa sa, NotificationPayload n)
    {
        switch (n.NotifyType)
        {
            case NotifyType.RUThere:
                if (n.TryGetDpdSequence(out var seq))
                {
                    Informational.SendProtected(sa, _s, [NotificationPayload.Dpd(true, sa.InitiatorCookie, sa.ResponderCookie, seq)]);
                }
                break;
            case NotifyType.RUThereAck:
                if (n.TryGetDpdSequence(out var ack) && ack == sa.DpdOutstanding)
                {
                    sa.DpdOutstanding = null;
                    sa.DpdFailures = 0;
                    sa.DpdNext = _s.Now + sa.Remote.DpdDelay;
                }
                break;
            case NotifyType.InitialContact:
                Log.LogInformation("received INITIAL-CONTACT from {Peer}", RacoonText.Endpoint(sa.Peer));
                PurgePeerSas(sa, includeThisPhase1: false);
                break;
            default:
                if (NotifyNames.IsError(n.NotifyType))
                {
                    Log.LogError("notification {Name} received in informational exchange.", NotifyNames.Name(n.NotifyType));
                }
                else
                {
                    Log.LogInformation("notification message {Type}:{Name}, doi={Doi} proto_id={Protocol}.", (ushort)n.NotifyType, NotifyNames.Name(n.NotifyType), (uint)n.Doi, (byte)n.Protocol);
                }
                break;
        }
    }

    private void Delete(IsakmpSa sa, DeletePayload d)
    {
        if (d.Protocol == ProtocolId.Isakmp)
        {
            for (var i = 0; i < d.Spis.Length; i++)
            {
                if (d.Spis[i].Length != 16)
                {
                    continue;
                }
                var ci = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(d.Spis[i]);
                var cr = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(d.Spis[i].AsSpan(8));
                var target = _sas.FirstOrDefault(s => s.InitiatorCookie == ci && s.ResponderCookie == cr && s.Peer.Address.Equals(sa.Peer.Address));
                if (target is not null)
                {
                    Log.LogInformation("ISAKMP-SA deleted {Local}-{Remote} spi:{Index}", RacoonText.Endpoint(target.Local), RacoonText.Endpoint(target.Peer), target.Index);
                    RemovePhase1(target, "deleted by the peer");
                }
            }
            return;
        }
        var protocol = (IpsecSaProtocol)d.Protocol;
        for (var i = 0; i < d.Spis.Length; i++)
        {
            uint spi = d.SpiSize == 4 ? d.GetSpi32(i) : d.SpiSize == 2 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(d.Spis[i]) : 0u;
            var entry = _installed.FirstOrDefault(e => e.Pair.Protocol == protocol && e.Pair.OutboundSpi == spi && e.Pair.RemoteAddress.Equals(sa.Peer.Address));
            if (entry is null)
            {
                Log.LogWarning("delete for an unknown IPsec-SA proto_id={Protocol} spi={Spi}", RacoonText.ProtocolName(protocol), spi);
                continue;
            }
            _installed.Remove(entry);
            var p = entry.Pair;
            _s.Out.Add(new DeleteIpsecSa(p.Protocol, p.OutboundSpi, p.LocalAddress, p.RemoteAddress));
            _s.Out.Add(new DeleteIpsecSa(p.Protocol, p.InboundSpi, p.RemoteAddress, p.LocalAddress));
            Log.LogInformation("purged IPsec-SA proto_id={Protocol} spi={Spi}.", RacoonText.ProtocolName(p.Protocol), p.OutboundSpi);
        }
    }

    private static bool SamePolicy(IpsecPolicy a, IpsecPolicy b) => a.Local.Equals(b.Local) && a.Remote.Equals(b.Remote);

    /// <summary>Hands out this call's intents, with an <see cref="ArmTimer"/> when the next deadline moved.</summary>
    private List<EngineIntent> Finish()
    {
        var next = NextDeadline();
        if (next is not null && next != _armed)
        {
            _s.Out.Add(new ArmTimer(next.Value));
        }
        _armed = next;
        var result = new List<EngineIntent>(_s.Out);
        _s.Out.Clear();
        return result;
    }

    private DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? t)
        {
            if (t is { } v && (next is null || v < next))
            {
                next = v;
            }
        }
        foreach (var sa in _sas)
        {
            if (sa.State == IsakmpSaState.Negotiating)
            {
                Consider(sa.NegotiationDeadline);
                Consider(sa.Resend?.NextDue);
            }
            else
            {
                Consider(sa.ExpiresAt);
                Consider(sa.DpdNext);
            }
            foreach (var qm in sa.QuickModes.Values)
            {
                Consider(qm.Deadline);
                Consider(qm.Resend?.NextDue);
            }
        }
        return next;
    }

    public void Dispose()
    {
        foreach (var sa in _sas)
        {
            sa.Dispose();
        }
        _sas.Clear();
    }
}
