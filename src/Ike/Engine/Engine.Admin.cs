// racoon-style log lines mark rare protocol events; building their arguments costs nothing that matters.
#pragma warning disable CA1873

using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges;
using KernelIpsec.Ike.Exchanges.Informational;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Ike.Engine;

// What the administrator and the kernel ask outside negotiations: racoonctl, SIGHUP, SIGTERM, the kernel's EXPIRE.
public sealed partial class Engine
{
    /// <summary>
    /// Start phase 1 with a peer (racoonctl establish-sa isakmp), with the remote section for its address or the one
    /// named <paramref name="remoteName"/>; <paramref name="credentials"/> is the XAuth login racoonctl vpn-connect -u gave.
    /// </summary>
    public IReadOnlyList<EngineIntent> InitiatePhase1(IPEndPoint local, IPEndPoint remote, DateTimeOffset now, string? remoteName = null,
        XauthCredentials? credentials = null)
    {
        Begin(now);
        if (sas.WithPeer(remote.Address).Any(e => e.Sa.State != IsakmpSaState.Dead))
        {
            EngineLog.Phase1AlreadyExists(Log, remote.Address);
            return Finish();
        }
        var config = remoteName is not null ? s.Config.FindRemoteByName(remoteName) : RemoteSelector.Select(s.Config.Remotes, new RemoteQuery { Peer = remote.Address });
        if (config is null)
        {
            EngineLog.NoConfigurationFoundFor(Log, remote.Address);
            Emit(new NegotiationFailed(NegotiationPhase.Phase1, local, remote, $"no configuration found for {remote.Address}.", null));
        }
        else
        {
            if (StartPhase1(local, remote, config) is { } started)
            {
                started.Sa.XauthClientCredentials = credentials;
            }
        }
        return Finish();
    }

    /// <summary>
    /// Delete every ISAKMP SA with a peer, telling it (racoonctl delete-sa isakmp, vpn-disconnect). As racoon's
    /// purge_remote, the IPsec SAs with that peer leave our kernel with the last of its ISAKMP SAs (the peer learns it
    /// from the ISAKMP DELETE): a disconnected road warrior keeps no tunnel, and no generated policy stays behind.
    /// </summary>
    public IReadOnlyList<EngineIntent> DeletePhase1(IPAddress remote, DateTimeOffset now)
    {
        Begin(now);
        foreach (var entry in sas.WithPeer(remote).ToList())
        {
            // racoon keeps established IPsec SAs while another valid ISAKMP SA with the same host remains.
            if (!sas.WithPeer(remote).Any(o => o != entry && o.Sa.State == IsakmpSaState.Established && SameHost(o.Sa, entry.Sa)))
            {
                PurgePeerSas(entry, includeThisPhase1: true);
            }
            DeletePhase1Entry(entry, "deleted by the administrator");
        }
        return Finish();
    }

    /// <summary>Delete every ISAKMP SA, telling each peer (racoonctl flush-sa isakmp).</summary>
    public IReadOnlyList<EngineIntent> FlushPhase1(DateTimeOffset now)
    {
        Begin(now);
        DeleteAllPhase1("flushed by the administrator");
        return Finish();
    }

    private void DeleteAllPhase1(string reason)
    {
        foreach (var entry in sas.All())
        {
            if (sas.Contains(entry))
            {
                DeletePhase1Entry(entry, reason);
            }
        }
    }

    /// <summary>
    /// SIGHUP with a good configuration: new negotiations use <paramref name="config"/>; running and established
    /// SAs keep the remote section they were made with (racoon keeps them when they still match).
    /// </summary>
    public IReadOnlyList<EngineIntent> Reconfigure(RacoonConfig config, DateTimeOffset now)
    {
        Begin(now);
        s.Config = config;
        return Finish();
    }

    /// <summary>
    /// SIGTERM: DELETE notifications for every IPsec SA and ISAKMP SA to their peers, the kernel SAs removed,
    /// every ISAKMP SA gone. Nothing is armed afterwards.
    /// </summary>
    public IReadOnlyList<EngineIntent> Shutdown(DateTimeOffset now)
    {
        Begin(now);
        var all = installed.All();
        foreach (var entry in all)
        {
            var p = entry.Pair;
            if (entry.Phase1.State == IsakmpSaState.Established && p.Protocol != IpsecSaProtocol.IpComp)
            {
                Emit(InformationalExchange.DeleteIpsec(entry.Phase1, s, p.Protocol, p.InboundSpi));
            }
            Emit(new DeleteIpsecSa(p.Protocol, p.InboundSpi, p.RemoteAddress, p.LocalAddress));
            Emit(new DeleteIpsecSa(p.Protocol, p.OutboundSpi, p.LocalAddress, p.RemoteAddress));
        }
        installed.Clear();
        foreach (var entry in all)
        {
            ReleaseGeneratedPolicy(entry);
        }
        DeleteAllPhase1("racoon shutting down");
        return Finish();
    }

    public IReadOnlyList<EngineIntent> HandleExpire(ExpireEvent expire, DateTimeOffset now)
    {
        Begin(now);
        var entry = installed.FindBySpi(expire.Protocol, expire.Spi, expire.Destination);
        if (entry is null)
        {
            EngineLog.ExpireForUnknownSa(Log, expire.Protocol, expire.Spi);
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
        installed.Remove(entry);
        ReleaseGeneratedPolicy(entry);
        var p = entry.Pair;
        var inboundExpired = p.InboundSpi == expire.Spi;
        Emit(inboundExpired
            ? new DeleteIpsecSa(p.Protocol, p.OutboundSpi, p.LocalAddress, p.RemoteAddress)
            : new DeleteIpsecSa(p.Protocol, p.InboundSpi, p.RemoteAddress, p.LocalAddress));
        if (entry.Phase1.State == IsakmpSaState.Established && p.Protocol != IpsecSaProtocol.IpComp)
        {
            Emit(InformationalExchange.DeleteIpsec(entry.Phase1, s, p.Protocol, p.InboundSpi));
        }
        EngineLog.IPsecSAExpired(Log, RacoonText.IpsecSa(p.Protocol, p.Mode, p.RemoteAddress, p.LocalAddress, p.InboundSpi));
        return Finish();
    }
}
