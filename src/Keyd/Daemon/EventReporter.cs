using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// Turns what the daemon does into racoon's admin events (evt.h) for `racoonctl show-event`: the engine's
/// intents (phase 1 up/down, failed negotiations, installed and deleted SA pairs) and SAs the kernel reports
/// gone. A phase 2 is one SA pair: its "Phase 2 deleted" is reported once, when the first of its two SAs
/// goes. Runs on the daemon's loop.
/// </summary>
internal sealed class EventReporter(Phase1Table phase1s)
{
    private readonly Dictionary<(IPAddress Destination, uint Spi, IpsecProtocol Protocol), Phase2> phase2s = [];

    private sealed record Phase2(IPEndPoint Local, IPEndPoint Remote, (IPAddress, uint, IpsecProtocol) Inbound, (IPAddress, uint, IpsecProtocol) Outbound);

    /// <summary>
    /// Every event <paramref name="intent"/> amounts to: <see cref="Observe"/>'s, and after "Phase 1 established"
    /// racoon's EVT_PHASE1_MODE_CFG with the Mode Config attributes (what racoonctl vpn-connect waits for; racoon
    /// sends it with the attributes received, or empty at once when the remote has no Mode Config).
    /// </summary>
    public IEnumerable<EventDump> Events(EngineIntent intent, DateTimeOffset now)
    {
        if (Observe(intent, now) is { } evt)
            yield return evt;
        if (intent is Phase1Up up)
        {
            yield return new EventDump(EventType.Phase1ModeCfg, now.ToUnixTimeSeconds(), up.Local, up.Remote, 0)
            {
                Attributes = ModeCfgEventAttributes.Encode(up.Details?.ModeCfg),
            };
        }
    }

    /// <summary>The event <paramref name="intent"/> amounts to, if any (an intent is at most one event).</summary>
    public EventDump? Observe(EngineIntent intent, DateTimeOffset now)
    {
        var time = now.ToUnixTimeSeconds();
        switch (intent)
        {
            case Phase1Up up:
                return new EventDump(EventType.Phase1Up, time, up.Local, up.Remote, 0);
            case Phase1Down down:
                return new EventDump(Phase1DownType(down.Reason), time, down.Local, down.Remote, 0);
            case NegotiationFailed failed when FailureType(failed) is { } type:
                return new EventDump(type, time, failed.Local, failed.Remote, 0);
            case InstallSaPair { Pair: var pair }:
                {
                    var (local, remote) = Phase1Ends(pair.LocalAddress, pair.RemoteAddress);
                    var protocol = KernelTranslation.ToKernel(pair.Protocol);
                    var phase2 = new Phase2(local, remote, (pair.LocalAddress, pair.InboundSpi, protocol), (pair.RemoteAddress, pair.OutboundSpi, protocol));
                    phase2s[phase2.Inbound] = phase2;
                    phase2s[phase2.Outbound] = phase2;
                    return new EventDump(EventType.Phase2Up, time, local, remote, 0);
                }
            case DeleteIpsecSa delete:
                return Gone((delete.Destination, delete.Spi, KernelTranslation.ToKernel(delete.Protocol)), time);
            default:
                return null;
        }
    }

    /// <summary>An SA left the kernel (hard expire, deleted by someone else).</summary>
    public EventDump? SaGone(SaId id, DateTimeOffset now) => Gone((id.Destination, id.Spi, id.Protocol), now.ToUnixTimeSeconds());

    /// <summary>SAs flushed (all, or of one protocol): every phase 2 among them is down.</summary>
    public IReadOnlyList<EventDump> Flushed(IpsecProtocol? protocol, DateTimeOffset now) =>
        phase2s.Where(p => protocol is null || p.Key.Protocol == protocol).Select(p => p.Key).ToList()
            .Select(key => Gone(key, now.ToUnixTimeSeconds())).OfType<EventDump>().ToList();

    private EventDump? Gone((IPAddress, uint, IpsecProtocol) key, long time)
    {
        if (!phase2s.Remove(key, out var phase2))
            return null;
        phase2s.Remove(phase2.Inbound);
        phase2s.Remove(phase2.Outbound);
        return new EventDump(EventType.Phase2Down, time, phase2.Local, phase2.Remote, 0);
    }

    /// <summary>The ISAKMP SA's endpoints (ports included) for a phase 2 between these addresses, as racoon reports them.</summary>
    private (IPEndPoint Local, IPEndPoint Remote) Phase1Ends(IPAddress local, IPAddress remote)
    {
        var phase1 = phase1s.Entries.LastOrDefault(e => e.Remote.Address.Equals(remote));
        return phase1 is null ? (new IPEndPoint(local, 500), new IPEndPoint(remote, 500)) : (phase1.Local, phase1.Remote);
    }

    private static uint Phase1DownType(string reason) =>
        reason.StartsWith("DPD", StringComparison.Ordinal) ? EventType.Phase1DpdTimeout
        : reason == "deleted by the peer" ? EventType.Phase1PeerDeleted
        : EventType.Phase1Down;

    /// <summary>
    /// The failures racoon reports (the rest it only logs). The engine says why in words, so they are told
    /// apart by the words its exchanges use: time up, no proposal, authentication.
    /// </summary>
    private static uint? FailureType(NegotiationFailed failed)
    {
        var reason = failed.Reason;
        bool Says(string words) => reason.Contains(words, StringComparison.OrdinalIgnoreCase);
        if (failed.Phase == NegotiationPhase.Phase2)
            return Says("time up") ? EventType.Phase2NoResponse : null;
        if (failed.Phase != NegotiationPhase.Phase1)
            return null;
        if (Says("time up"))
            return EventType.Phase1NoResponse;
        if (Says("proposal") || Says("did not offer") || Says("chose group"))
            return EventType.Phase1NoProposal;
        if (Says("pskey") || Says("HASH mismatched") || Says("signature") || Says("certificate") || Says("authentication"))
            return EventType.Phase1AuthFailed;
        return null;
    }
}
