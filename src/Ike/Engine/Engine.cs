using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Phase2;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

/// <summary>
/// The IKEv1 engine: a pure state machine the daemon drives. No sockets, no kernel, no clock of its own: every call
/// carries the time of its event.
/// <para>
/// Construct one per configuration:
/// <c>new Engine(config, preSharedKeys, certificates, policies, dhGroups, random, logger[, xauth])</c> where
/// <c>certificates</c> gives our certificate and judges the peer's chain (<see cref="ICertificateVerifier"/>),
/// <c>policies</c> is the daemon's SPD mirror (<see cref="IPolicyLookup"/>, used when we respond to a quick mode),
/// <c>dhGroups</c> is Ike.Crypto's <c>DhGroups.CreateDefault()</c>, <c>random</c> a <see cref="SystemIkeRandom"/> and
/// <c>xauth</c> the XAuth server's account check (<see cref="IXauthAuthenticator"/>; without it every login fails).
/// Then feed it events; each call returns the intents to carry out, in order:
/// </para>
/// <list type="bullet">
/// <item><see cref="HandleDatagram"/>(local, remote, bytes, now): a UDP datagram received on port 500.</item>
/// <item><see cref="HandleAcquire"/>(acquire, now): the kernel's ACQUIRE for an outbound policy.</item>
/// <item><see cref="HandleSpiAllocated"/>(allocation, now): the kernel's answer to an <see cref="AllocateSpi"/> intent
/// (deliver it after the rest of the list that asked for it has been carried out).</item>
/// <item><see cref="HandleTimer"/>(now): when the time of the last <see cref="ArmTimer"/> intent has come.</item>
/// <item><see cref="HandleExpire"/>(expire, now): the kernel's soft (rekey if we initiated) or hard EXPIRE of an SA.</item>
/// <item><see cref="InitiatePhase1"/>, <see cref="DeletePhase1"/>, <see cref="FlushPhase1"/>: racoonctl establish-sa /
/// delete-sa / flush-sa (vpn-connect -u: InitiatePhase1's credentials); <see cref="LogoutUser"/>: racoonctl logout-user
/// (<see cref="XauthUsers"/> lists who is logged in); <see cref="Reconfigure"/>: SIGHUP; <see cref="Shutdown"/>: SIGTERM.</item>
/// </list>
/// <para>
/// Intents: <see cref="SendDatagram"/>, <see cref="AllocateSpi"/>, <see cref="InstallSaPair"/> (inbound = update the
/// larval SA of the allocated SPI, outbound = add), <see cref="DeleteIpsecSa"/>, <see cref="ArmTimer"/> (replaces the
/// previous one; one is always returned after <see cref="HandleTimer"/> when anything is pending),
/// <see cref="Phase1Up"/>, <see cref="Phase1Down"/>, <see cref="NegotiationFailed"/> (with the ACQUIRE it served, for an
/// ACQUIRE error to the kernel). <see cref="Phase1Sas"/> and <see cref="IpsecSas"/> list the state for racoonctl.
/// </para>
/// <para>
/// The engine is a dispatcher: the exchanges (Ike.Exchanges: main, aggressive, quick mode, informational, transaction) do the
/// protocol and return what they want done; the engine routes events to them through its tables (ISAKMP SAs by cookie
/// pair and peer, installed SAs by SPI, peer and policy, deadlines in a priority queue), so the cost of an event does
/// not grow with the number of SAs. Its partial files go by concern: datagrams, phase 1, quick modes, informational,
/// ACQUIRE, timers, expiry and racoonctl.
/// </para>
/// <para>
/// Not thread-safe: the daemon calls it from its one event loop. No exception escapes <see cref="HandleDatagram"/>.
/// It logs racoon's lines through the ILogger (LogInformation = racoon INFO, LogWarning = WARNING/NOTIFY,
/// LogError = ERROR, LogDebug = DEBUG) and never logs key material or pre-shared keys.
/// </para>
/// </summary>
public sealed partial class Engine : IDisposable
{
    private readonly ExchangeServices s;
    private readonly ReceivedPacketCache received;
    private readonly IsakmpSaTable sas = new();
    private readonly InstalledSaTable installed = new();
    private readonly Dictionary<long, (IsakmpSaEntry Entry, QuickMode Qm)> spiRequests = [];
    private readonly PolicyUse negotiating = new();
    private readonly HashSet<IPAddress> contacted = [];
    private readonly DeadlineQueue<IsakmpSaEntry> deadlines = new(e => e.Scheduled);
    private readonly HashSet<IsakmpSaEntry> touched = [];
    private readonly List<EngineIntent> @out = [];
    private readonly SourceLogLimiter noisy = new(burst: 10, window: TimeSpan.FromSeconds(10), capacity: 4096);
    private long nextRequestId;
    private DateTimeOffset? armed;

    public Engine(RacoonConfig config, IPreSharedKeyStore preSharedKeys, ICertificateVerifier certificates, IPolicyLookup policies,
        DhGroups groups, IIkeRandom random, ILogger logger, IXauthAuthenticator? xauth = null)
    {
        var t = config.Timers;
        var timers = new RetransmitSettings(t.Counter, t.Interval, Math.Max(1, t.PerSend), t.Phase1, t.Phase2);
        s = new ExchangeServices
        {
            Config = config,
            PreSharedKeys = preSharedKeys,
            Certificates = certificates,
            Policies = policies,
            Groups = groups,
            Random = random,
            Log = logger,
            Timers = timers,
            Xauth = xauth,
        };
        received = new ReceivedPacketCache(timers.Interval * (timers.Counter + 1));
    }

    private ILogger Log => s.Log;

    private DateTimeOffset Now => s.Now;

    /// <summary>The ISAKMP SAs the engine holds (negotiating and established).</summary>
    public IReadOnlyList<Phase1Status> Phase1Sas =>
        [.. sas.All().Select(e => new Phase1Status(e.Sa.Local, e.Sa.Peer, e.Sa.InitiatorCookie, e.Sa.ResponderCookie, e.Sa.IsInitiator,
            e.Sa.State == IsakmpSaState.Established, e.Exchange.ModeName, e.EstablishedAt, e.ExpiresAt, e.QuickModes.Count))];

    /// <summary>The ISAKMP SA with these cookies: the fuzz harness encrypts with its keys as the peer would.</summary>
    internal IsakmpSa? FindIsakmpSa(ulong initiatorCookie, ulong responderCookie) => sas.Find(initiatorCookie, responderCookie)?.Sa;

    /// <summary>The IPsec SA pairs installed and not deleted since.</summary>
    public IReadOnlyList<IpsecSaPair> IpsecSas => [.. installed.All().Select(i => i.Pair)];

    /// <summary>
    /// Whether a warning caused by <paramref name="remote"/>'s datagram may be logged (at most 10 per source per 10 s);
    /// what was held back is reported in one line first.
    /// </summary>
    private bool MayLogAbout(IPEndPoint remote)
    {
        var allowed = noisy.Allow(remote.Address, Now, out var suppressed);
        if (suppressed > 0)
        {
            EngineLog.SuppressedWarningsFrom(Log, suppressed, remote.Address);
        }
        return allowed;
    }

    /// <summary>Every event starts here: the one clock is the caller's.</summary>
    private void Begin(DateTimeOffset now) => s.Now = now;

    private void Emit(EngineIntent intent) => @out.Add(intent);

    private void Emit(IReadOnlyList<EngineIntent> intents) => @out.AddRange(intents);

    /// <summary>Something of this SA may have moved a deadline: it is rescheduled when the event is done.</summary>
    private void Touch(IsakmpSaEntry entry) => touched.Add(entry);

    /// <summary>Hands out this call's intents, with an <see cref="ArmTimer"/> when the next deadline moved.</summary>
    private List<EngineIntent> Finish()
    {
        foreach (var entry in touched)
        {
            Reschedule(entry);
        }
        touched.Clear();
        var next = deadlines.Peek();
        if (next is not null && next != armed)
        {
            @out.Add(new ArmTimer(next.Value));
        }
        armed = next;
        var result = new List<EngineIntent>(@out);
        @out.Clear();
        return result;
    }

    private void Reschedule(IsakmpSaEntry entry)
    {
        var next = sas.Contains(entry) ? entry.NextDeadline() : null;
        if (next == entry.Scheduled)
        {
            return;
        }
        entry.Scheduled = next;
        if (next is { } due)
        {
            deadlines.Enqueue(entry, due);
        }
    }

    public void Dispose()
    {
        foreach (var entry in sas.All())
        {
            sas.Remove(entry);
            entry.Dispose();
        }
    }
}
