using System.Net;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Engine;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Keyd.Transport;
using KernelIpsec.Keyd.Xauth;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// <see cref="IKeyEngine"/> over <see cref="Engine"/>, which holds the ISAKMP and IPsec SA state across
/// reloads (new negotiations use the new configuration, established SAs stay).
/// </summary>
public sealed class EngineAdapter : IKeyEngine, IDisposable
{
    private readonly IPolicyLookup policies;
    private readonly ILogger logger;
    private readonly DhGroups groups = DhGroups.CreateDefault();
    private readonly Engine engine;
    private readonly Accounting.PamSessions? pamSessions;

    /// <param name="pamSessions">Where `auth_source pam` keeps logins for `accounting pam` (the daemon's <see cref="KeyDaemonSettings.PamSessions"/>).</param>
    public EngineAdapter(RacoonConfig config, IPolicyLookup policies, ILogger logger, Accounting.PamSessions? pamSessions = null)
    {
        this.pamSessions = pamSessions;
        this.policies = policies;
        this.logger = logger;
        engine = Create(config);
    }

    private Engine Create(RacoonConfig config)
    {
        IPreSharedKeyStore keys = config.Paths.PreSharedKey is { } path ? new PreSharedKeyFile(path) : new PreSharedKeyTable([]);
        // The XAuth server's accounts: mode_cfg { auth_source system | pam; group_source ...; }.
        var xauth = config.ModeConfig is { } modeConfig ? XauthAuthenticators.For(modeConfig, logger, sessions: pamSessions) : null;
        return new Engine(config, keys, new ConfiguredCertificates(config), policies, groups, new SystemIkeRandom(), logger, xauth);
    }

    public IReadOnlyList<Phase1Status> Phase1Sas => engine.Phase1Sas;

    public IReadOnlyList<EngineIntent> OnDatagram(IkeDatagram datagram, DateTimeOffset now) =>
        engine.HandleDatagram(datagram.Local, datagram.Remote, datagram.Message, now);

    public IReadOnlyList<EngineIntent> OnAcquire(AcquireRequest acquire, DateTimeOffset now) => engine.HandleAcquire(acquire, now);

    public IReadOnlyList<EngineIntent> EstablishIpsecSa(AcquireRequest acquire, DateTimeOffset now) => engine.HandleAcquire(acquire, now, administrator: true);

    public IReadOnlyList<EngineIntent> OnExpire(ExpireEvent expire, DateTimeOffset now) => engine.HandleExpire(expire, now);

    public IReadOnlyList<EngineIntent> OnSpiAllocated(SpiAllocation allocation, DateTimeOffset now) => engine.HandleSpiAllocated(allocation, now);

    public IReadOnlyList<EngineIntent> OnTimer(DateTimeOffset now) => engine.HandleTimer(now);

    public IReadOnlyList<EngineIntent> OnNatMapping(NatMappingChange change, DateTimeOffset now) => engine.HandleNatMapping(change, now);

    public IReadOnlyList<EngineIntent> Reconfigure(RacoonConfig config, DateTimeOffset now) => engine.Reconfigure(config, now);

    public IReadOnlyList<EngineIntent> EstablishPhase1(IPAddress? local, IPAddress remote, string? remoteName, XauthCredentials? credentials, DateTimeOffset now)
    {
        // Without -n the engine selects the remote section by the peer's address, as racoon does.
        return engine.InitiatePhase1(new IPEndPoint(local ?? SourceAddressFor(remote), 500), new IPEndPoint(remote, 500), now, remoteName, credentials);
    }

    public IReadOnlyList<EngineIntent> DeletePhase1(IPAddress? local, IPAddress remote, DateTimeOffset now) => engine.DeletePhase1(remote, now);

    public IReadOnlyList<EngineIntent> FlushPhase1(DateTimeOffset now) => engine.FlushPhase1(now);

    public IReadOnlyList<EngineIntent> LogoutUser(string login, DateTimeOffset now) => engine.LogoutUser(login, now);

    public IReadOnlyList<(string User, IPEndPoint Peer)> XauthUsers => engine.XauthUsers;

    public IReadOnlyList<EngineIntent> Shutdown(DateTimeOffset now) => engine.Shutdown(now);

    /// <summary>The address the kernel would send from to reach <paramref name="remote"/> (a connected UDP socket sends nothing).</summary>
    public static IPAddress SourceAddressFor(IPAddress remote)
    {
        using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(new IPEndPoint(remote, 9));
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    public void Dispose() => engine.Dispose();
}
