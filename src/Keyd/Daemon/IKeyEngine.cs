using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Transport;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// What the daemon's loop needs from the pure IKE engine: every input becomes a list of intents for the
/// <see cref="IntentExecutor"/>. <see cref="EngineAdapter"/> binds it to <c>KernelIpsec.Ike.Engine.Engine</c>;
/// tests script it. All calls come from the loop, one at a time.
/// </summary>
public interface IKeyEngine
{
    IReadOnlyList<EngineIntent> OnDatagram(IkeDatagram datagram, DateTimeOffset now);

    IReadOnlyList<EngineIntent> OnAcquire(AcquireRequest acquire, DateTimeOffset now);

    /// <summary>
    /// racoonctl establish-sa esp|ah: quick mode as for an ACQUIRE, but also towards a `passive on` peer (racoon's
    /// admin request does not skip passive sections, the kernel's ACQUIRE does).
    /// </summary>
    IReadOnlyList<EngineIntent> EstablishIpsecSa(AcquireRequest acquire, DateTimeOffset now) => OnAcquire(acquire, now);

    IReadOnlyList<EngineIntent> OnExpire(ExpireEvent expire, DateTimeOffset now);

    IReadOnlyList<EngineIntent> OnSpiAllocated(SpiAllocation allocation, DateTimeOffset now);

    IReadOnlyList<EngineIntent> OnTimer(DateTimeOffset now);

    /// <summary>The kernel saw an ESP-in-UDP SA's peer at a new port (XFRM_MSG_MAPPING / SADB_X_NAT_T_NEW_MAPPING).</summary>
    IReadOnlyList<EngineIntent> OnNatMapping(NatMappingChange change, DateTimeOffset now);

    /// <summary>SIGHUP with a good configuration: new settings for new negotiations, established SAs kept.</summary>
    IReadOnlyList<EngineIntent> Reconfigure(RacoonConfig config, DateTimeOffset now);

    /// <summary>
    /// racoonctl establish-sa isakmp, vpn-connect: start phase 1 with <paramref name="remote"/> (or the named remote
    /// section); <paramref name="credentials"/> is the XAuth login of `-u USER` and the password racoonctl read.
    /// </summary>
    IReadOnlyList<EngineIntent> EstablishPhase1(IPAddress? local, IPAddress remote, string? remoteName, XauthCredentials? credentials, DateTimeOffset now);

    /// <summary>racoonctl delete-sa / vpn-disconnect: delete the ISAKMP SAs with <paramref name="remote"/> (and their IPsec SAs' state), notifying the peer.</summary>
    IReadOnlyList<EngineIntent> DeletePhase1(IPAddress? local, IPAddress remote, DateTimeOffset now);

    /// <summary>racoonctl flush-sa isakmp: delete every ISAKMP SA.</summary>
    IReadOnlyList<EngineIntent> FlushPhase1(DateTimeOffset now);

    /// <summary>racoonctl logout-user: the ISAKMP SAs on which <paramref name="login"/> logged in by XAuth (we the server) go, with their SAs.</summary>
    IReadOnlyList<EngineIntent> LogoutUser(string login, DateTimeOffset now);

    /// <summary>The users logged in by XAuth on our side as server, with their peers.</summary>
    IReadOnlyList<(string User, IPEndPoint Peer)> XauthUsers { get; }

    /// <summary>SIGTERM/SIGINT: DELETE notifications for every SA, then nothing more.</summary>
    IReadOnlyList<EngineIntent> Shutdown(DateTimeOffset now);

    /// <summary>The ISAKMP SAs, negotiating and established (racoonctl show-sa isakmp).</summary>
    IReadOnlyList<Phase1Status> Phase1Sas { get; }
}
