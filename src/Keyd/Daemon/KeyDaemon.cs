using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Transport;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>How the daemon was started and where it keeps its files.</summary>
public sealed record KeyDaemonSettings
{
    public int IsakmpPort { get; init; } = 500;
    public int NattPort { get; init; } = 4500;
    /// <summary>Null: no pid file (tests).</summary>
    public string? PidFile { get; init; }
    /// <summary>Re-reads the configuration on SIGHUP; throws with the diagnostics when it is broken.</summary>
    public required Func<RacoonConfig> LoadConfig { get; init; }
    /// <summary>The local addresses to listen on when racoon.conf has no `listen` addresses.</summary>
    public Func<IReadOnlyList<IPAddress>> LocalAddresses { get; init; } = ListenPlan.LocalAddresses;
    /// <summary>Called after a configuration is (re)applied, e.g. to change the log level.</summary>
    public Action<RacoonConfig>? ConfigApplied { get; init; }
    public SystemdNotifier Notifier { get; init; } = new(null);
    /// <summary>`-v`: dump every IKE datagram (hex) in the debug log.</summary>
    public int Verbose { get; init; }
    /// <summary>`-4` / `-6`: listen on addresses of this family only; null (no flag): both.</summary>
    public System.Net.Sockets.AddressFamily? ListenFamily { get; init; }
    /// <summary>Where the daemon records its SAs (crash clean-up list, `path backupsa`); null: nowhere (tests, -Z).</summary>
    public State.SaJournal? Journal { get; init; }
    /// <summary>`-B`: install the SAs saved in `path backupsa` at start.</summary>
    public bool RestoreBackupSa { get; init; }
    /// <summary>Open the admin socket of racoon.conf (unless `adminsock disabled`).</summary>
    public bool AdminSocket { get; init; } = true;
    /// <summary>How long a `script` hook may run before it is killed.</summary>
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Where `accounting system` records logins (the system's utmp unless a test names another file).</summary>
    public Accounting.ILoginRecords LoginRecords { get; init; } = new Accounting.UtmpxLoginRecords();
    /// <summary>The PAM handles `auth_source pam` keeps for `accounting pam`; the engine's authenticator must get the same.</summary>
    public Accounting.PamSessions PamSessions { get; init; } = new();
}

/// <summary>
/// racoon's session loop, single-threaded: sockets, kernel events, the engine's timer, signals and admin
/// requests all post <see cref="DaemonEvent"/>s to one channel; the loop hands each to the engine and
/// executes the intents that come back before it takes the next. Start-up subscribes to kernel events
/// before it reads the SPD and opens the IKE sockets last, so no ACQUIRE or policy change slips through.
/// </summary>
public sealed partial class KeyDaemon : IAsyncDisposable
{
    private readonly DaemonQueue events = new();
    private readonly IKernelIpsec kernel;
    private readonly IKeyEngine engine;
    private readonly KeyDaemonSettings settings;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly EngineTimer timer;
    private readonly IkeTransport transport;
    private readonly IntentExecutor executor;
    private RacoonConfig config;
    private IKernelEventSubscription? subscription;
    private Task? kernelPump;
    private PidFile? pidFile;
    private Admin.AdminServer? adminServer;
    private readonly ILoggerFactory loggers;
    private readonly EventReporter reporter;
    private readonly Scripts.ScriptHooks scripts;
    private readonly Accounting.LoginAccounting accounting;
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="engine">Builds the engine around the daemon's SPD mirror (its responder policy lookup).</param>
    public KeyDaemon(RacoonConfig config, IKernelIpsec kernel, Func<SpdMirror, IKeyEngine> engine, KeyDaemonSettings settings, ILoggerFactory loggers, TimeProvider? time = null)
    {
        this.config = config;
        this.kernel = kernel;
        this.engine = engine(Spd);
        this.settings = settings;
        this.time = time ?? TimeProvider.System;
        this.loggers = loggers;
        logger = loggers.CreateLogger("KernelIpsec.Keyd.Daemon.KeyDaemon");
        timer = new EngineTimer(this.time, () => Post(new TimerDue()));
        transport = new IkeTransport(kernel, d => { events.Post(new DatagramArrived(d)); return ValueTask.CompletedTask; }, loggers.CreateLogger("KernelIpsec.Keyd.Transport.IkeTransport"));
        Phase1s = new Phase1Table(this.time);
        Installed = new InstalledSas(settings.Journal, this.time);
        reporter = new EventReporter(Phase1s);
        scripts = new Scripts.ScriptHooks(() => this.config, new Scripts.ScriptRunner(loggers.CreateLogger("KernelIpsec.Keyd.Scripts.ScriptRunner"), settings.ScriptTimeout));
        accounting = new Accounting.LoginAccounting(() => this.config, settings.LoginRecords, settings.PamSessions, this.time,
            loggers.CreateLogger("KernelIpsec.Keyd.Accounting.LoginAccounting"));
        executor = new IntentExecutor(kernel, new TransportSender(transport, settings.Verbose > 0 ? logger : null), timer.Arm, Installed, Phase1s,
            loggers.CreateLogger("KernelIpsec.Keyd.Daemon.IntentExecutor"));
    }

    public SpdMirror Spd { get; } = new();

    public InstalledSas Installed { get; }

    public Phase1Table Phase1s { get; }

    /// <summary>racoonctl show-event subscribers and what is published to them.</summary>
    internal Admin.AdminEventHub Events { get; } = new();

    public RacoonConfig Config => config;

    public IkeTransport Transport => transport;

    public IKernelIpsec Kernel => kernel;

    public IKeyEngine Engine => engine;

    public IntentExecutor Executor => executor;

    /// <summary>The `script` hooks run on phase 1 up/down/dead.</summary>
    public Scripts.ScriptHooks Scripts => scripts;

    /// <summary>When the engine's timer fires next (racoonctl show-schedule), or null.</summary>
    public DateTimeOffset? EngineTimerDue => timer.Due;

    /// <summary>Completes once the sockets are open and the daemon is ready (or faults if start-up failed).</summary>
    public Task Started => started.Task;

    /// <summary>Queues an event for the loop; safe from any thread (signal handlers, sockets, admin clients).</summary>
    public void Post(DaemonEvent daemonEvent) => events.Post(daemonEvent);

    /// <summary>Datagrams dropped unread because the loop was behind (a flood), since start.</summary>
    public long DroppedDatagrams => events.Dropped;

    /// <summary>Runs <paramref name="work"/> on the loop and returns its result.</summary>
    public Task<T> OnLoopAsync<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new LoopWork(async () =>
        {
            try
            {
                done.SetResult(await work().ConfigureAwait(false));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }));
        return done.Task;
    }

    /// <summary>Starts, runs until terminated, shuts down; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellation = default)
    {
        try
        {
            await StartAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            started.TrySetException(e);
            throw;
        }
        started.TrySetResult();
        using var registration = cancellation.Register(() => Post(new TerminateRequested("cancellation")));
        while (await events.ReadAsync().ConfigureAwait(false) is { } daemonEvent)
        {
            if (daemonEvent is TerminateRequested terminate)
            {
                await ShutdownAsync(terminate.Signal).ConfigureAwait(false);
                return 0;
            }
            try
            {
                await HandleAsync(daemonEvent).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One bad packet or kernel hiccup must not take the daemon down.
                logger.LogError(e, "internal error while handling {Event}", daemonEvent.GetType().Name);
            }
        }
        return 0;
    }

    private async Task StartAsync(CancellationToken cancellation)
    {
        subscription = kernel.SubscribeEvents();
        kernelPump = Task.Run(() => PumpKernelEventsAsync(subscription), CancellationToken.None);
        Spd.Reset(await kernel.DumpPoliciesAsync(cancellation).ConfigureAwait(false));
        logger.LogDebug("SPD mirrored: {Count} policies", Spd.Count);
        // Read before the clean-up below, which may remove the very SAs the file restores.
        (string File, IReadOnlyList<State.BackupSaRead> Lines)? backup = settings.RestoreBackupSa ? ReadBackup() : null;
        await RemoveLeftoversAsync(cancellation).ConfigureAwait(false);
        if (backup is not null)
            await RestoreAsync(backup.Value.File, backup.Value.Lines, cancellation).ConfigureAwait(false);
        ApplyConfig(config, reload: false);
        if (settings.AdminSocket && !config.Listen.AdminSocket.Disabled)
        {
            var handler = new Admin.AdminHandler(new DaemonAdminBackend(this), time, loggers.CreateLogger("KernelIpsec.Keyd.Admin.AdminHandler"));
            adminServer = Admin.AdminServer.Start(config.Listen.AdminSocket, request => OnLoopAsync(() => handler.HandleAsync(request)), Events,
                loggers.CreateLogger("KernelIpsec.Keyd.Admin.AdminServer"));
        }
        if (settings.PidFile is { } pidPath)
            pidFile = PidFile.Write(pidPath, Environment.ProcessId);
        settings.Notifier.Notify($"READY=1\nMAINPID={Environment.ProcessId}\nSTATUS=negotiating");
    }

    /// <summary>
    /// A run that ended without its clean exit (SIGKILL, a crash) left its SAs in the kernel; its list names
    /// them, and only them go (racoon flushes the whole SAD at start instead, manual SAs included).
    /// </summary>
    private async Task RemoveLeftoversAsync(CancellationToken cancellation)
    {
        if (settings.Journal?.OwnedFile is not { } path)
            return;
        if (settings.PidFile is { } pidPath && PidFile.OtherRunningRacoon(pidPath) is { } other)
        {
            // Not a crash: another racoon with this pid file is alive, and the SAs in the list are its own.
            logger.LogWarning("racoon {Pid} is running (pid file {File}): the SAs listed in {List} are its own and stay", other, pidPath, path);
            return;
        }
        var leftovers = State.OwnedSaFile.Read(path, (line, text) => logger.LogWarning("{File}:{Line}: not an SA record, ignored: {Text}", path, line, text));
        if (leftovers.Count == 0)
            return;
        logger.LogInformation("the previous racoon run did not exit cleanly: removing the {Count} SAs it installed (listed in {File})", leftovers.Count, path);
        foreach (var id in leftovers)
            await executor.DeleteAsync(id, cancellation).ConfigureAwait(false);
        State.OwnedSaFile.Write(path, []);
    }

    /// <summary>-B: the backupsa file, which must pass racoon's secret-file check; throws when it cannot be read (racoon exits then).</summary>
    private (string File, IReadOnlyList<State.BackupSaRead> Lines) ReadBackup()
    {
        var path = config.Paths.BackupSa ?? throw new InvalidOperationException("-B: racoon.conf names no backup file (path backupsa \"FILE\";)");
        return (path, State.BackupSaFile.Read(path, TimeZoneInfo.Local, kernel.Capabilities));
    }

    /// <summary>racoon's backupsa_from_file: installs the SAs whose lifetime has time left, with what is left.</summary>
    private async Task RestoreAsync(string path, IReadOnlyList<State.BackupSaRead> lines, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var restored = 0;
        foreach (var read in lines)
        {
            if (read.Entry is not { } entry)
            {
                LogBackupLineIllegal(logger, read.Line, path, read.Problem);
                continue;
            }
            if (entry.Remaining(now) is not { } sa)
            {
                LogBackupLineExpired(logger, read.Line, path);
                continue;
            }
            try
            {
                await kernel.AddSaAsync(sa, cancellation).ConfigureAwait(false);
                Installed.Add(sa);
                restored++;
                LogRestored(logger, sa.Id, sa.Lifetime.Hard.AddSeconds);
            }
            catch (Exception e) when (e is KernelIpsecException or ArgumentException)
            {
                LogRestoreFailed(logger, read.Line, path, e.Message);
            }
        }
        logger.LogInformation("{Count} SAs restored from {File}", restored, path);
    }

    private void ApplyConfig(RacoonConfig newConfig, bool reload)
    {
        config = newConfig;
        settings.ConfigApplied?.Invoke(newConfig);
        foreach (var excluded in ListenPlan.ExcludedByFamily(newConfig, settings.ListenFamily))
        {
            logger.LogWarning("listen address {Address} ignored: racoon runs with {Flag}", excluded.Address,
                settings.ListenFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "-4 (IPv4 only)" : "-6 (IPv6 only)");
        }

        transport.Reconcile(ListenPlan.Compute(newConfig, settings.IsakmpPort, settings.NattPort, settings.LocalAddresses(), settings.ListenFamily));
        if (reload)
            Post(new LoopWork(() => RunAsync(engine.Reconfigure(newConfig, time.GetUtcNow()))));
    }

    private async Task PumpKernelEventsAsync(IKernelEventSubscription source)
    {
        try
        {
            await foreach (var kernelEvent in ((IAsyncEnumerable<KernelEvent>)source).ConfigureAwait(false))
                Post(new KernelEventArrived(kernelEvent));
            Post(new KernelEventsEnded(null));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Post(new KernelEventsEnded(e));
        }
    }

    private async Task HandleAsync(DaemonEvent daemonEvent)
    {
        var now = time.GetUtcNow();
        switch (daemonEvent)
        {
            case DatagramArrived arrived:
                if (settings.Verbose > 0 && logger.IsEnabled(LogLevel.Debug))
                    LogReceived(logger, arrived.Datagram.Message.Length, arrived.Datagram.Remote, arrived.Datagram.Local, Convert.ToHexStringLower(arrived.Datagram.Message));
                await RunAsync(engine.OnDatagram(arrived.Datagram, now)).ConfigureAwait(false);
                break;
            case TimerDue:
                await RunAsync(engine.OnTimer(now)).ConfigureAwait(false);
                break;
            case KernelEventArrived { Event: var kernelEvent }:
                await HandleKernelEventAsync(kernelEvent, now).ConfigureAwait(false);
                break;
            case KernelEventsEnded ended:
                logger.LogError("kernel event stream ended{Reason}; ACQUIREs and EXPIREs are no longer seen",
                    ended.Error is null ? "" : ": " + ended.Error.Message);
                break;
            case ReloadRequested:
                Reload();
                break;
            case LoopWork work:
                await work.Work().ConfigureAwait(false);
                break;
        }
    }

    private async Task HandleKernelEventAsync(KernelEvent kernelEvent, DateTimeOffset now)
    {
        if (Spd.Apply(kernelEvent))
            return;
        switch (kernelEvent)
        {
            case AcquireEvent acquire:
                LogAcquire(logger, acquire.Sequence, acquire.Source, acquire.Destination, acquire.Protocol);
                WarnIfNeighbourDiscovery(acquire);
                await RunAsync(engine.OnAcquire(KernelTranslation.ToIke(acquire), now)).ConfigureAwait(false);
                break;
            case SaExpiredEvent expired:
                if (expired.Hard && await kernel.GetSaAsync(expired.Sa.Id).ConfigureAwait(false) is not null)
                {
                    // The kernel deletes a state before it reports its hard expiry, so an SA still there under
                    // this id is a newer one: the report was for the larval state ALLOCSPI made, which ran out
                    // (xfrm_acq_expires, 30 s) while a slow first install loaded crypto modules, and the SA was
                    // then added afresh. racoon likewise ignores expires of SAs that are not mature.
                    LogStaleExpire(logger, expired.Sa.Id);
                    break;
                }
                if (expired.Hard)
                    SaGone(expired.Sa.Id);
                await RunAsync(engine.OnExpire(KernelTranslation.ToIke(expired), now)).ConfigureAwait(false);
                break;
            case NatMappingEvent mapping:
                await NatMappingAsync(mapping, now).ConfigureAwait(false);
                break;
            case SaDeletedEvent deleted:
                SaGone(deleted.Sa.Id);
                break;
            case SasFlushedEvent flushed:
                SasFlushed(flushed.Protocol);
                break;
            case ResyncRequiredEvent resync:
                logger.LogWarning("kernel events were lost ({Reason}); reading the SPD again", resync.Reason);
                Spd.Reset(await kernel.DumpPoliciesAsync().ConfigureAwait(false));
                break;
        }
    }

    /// <summary>Executes intents and feeds kernel answers (allocated SPIs) back to the engine until it is quiet.</summary>
    public async Task RunAsync(IReadOnlyList<EngineIntent> intents)
    {
        var pending = new Queue<IReadOnlyList<EngineIntent>>();
        pending.Enqueue(intents);
        while (pending.TryDequeue(out var batch))
        {
            foreach (var answer in await executor.ExecuteAsync(batch).ConfigureAwait(false))
                pending.Enqueue(engine.OnSpiAllocated(answer, time.GetUtcNow()));
            var now = time.GetUtcNow();
            foreach (var intent in batch)
            {
                foreach (var evt in reporter.Events(intent, now))
                    Events.Publish(evt);
                scripts.Observe(intent);
                accounting.Observe(intent);
            }
        }
    }

    /// <summary>An SA left the kernel: no longer ours to remove; its phase 2 is down.</summary>
    private void SaGone(SaId id)
    {
        Installed.Remove(id);
        if (reporter.SaGone(id, time.GetUtcNow()) is { } evt)
            Events.Publish(evt);
    }

    /// <summary>The kernel's SAs (of one protocol, or all) were flushed.</summary>
    internal void SasFlushed(IpsecProtocol? protocol)
    {
        Installed.RemoveProtocol(protocol);
        foreach (var evt in reporter.Flushed(protocol, time.GetUtcNow()))
            Events.Publish(evt);
    }

    private void Reload()
    {
        // MONOTONIC_USEC dates the reload request (systemd 253+ pairs it with the READY=1 that ends it).
        settings.Notifier.Notify($"RELOADING=1\nMONOTONIC_USEC={SystemdNotifier.MonotonicMicroseconds()}");
        RacoonConfig fresh;
        try
        {
            fresh = settings.LoadConfig();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError("failed to reload the configuration, keeping the running one: {Error}", e.Message);
            settings.Notifier.Notify("READY=1");
            return;
        }
        ApplyConfig(fresh, reload: true);
        logger.LogInformation("configuration reloaded; established SAs kept");
        settings.Notifier.Notify("READY=1");
    }

    private async Task ShutdownAsync(string signal)
    {
        settings.Notifier.Notify("STOPPING=1");
        logger.LogInformation("caught signal {Signal}, shutting down", signal);
        try
        {
            await RunAsync(engine.Shutdown(time.GetUtcNow())).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "sending delete notifications failed");
        }
        // Only our own SAs: racoon flushes the whole SAD here, manual SAs included.
        foreach (var id in Installed.All.ToList())
            await executor.DeleteAsync(id).ConfigureAwait(false);
        Installed.Closed();
        timer.Disarm();
        transport.Dispose();
        // Last word to racoonctl show-event; the admin server flushes it before it closes the connections.
        Events.Publish(new AdminProtocol.EventDump(AdminProtocol.EventType.RacoonQuit, time.GetUtcNow().ToUnixTimeSeconds(), null, null, 0));
        adminServer?.Dispose();
        adminServer = null;
        pidFile?.Dispose();
        pidFile = null;
        logger.LogInformation("racoon process {Pid} shutdown", Environment.ProcessId);
    }

    public async ValueTask DisposeAsync()
    {
        events.Complete();
        transport.Dispose();
        adminServer?.Dispose();
        timer.Dispose();
        pidFile?.Dispose();
        if (subscription != null)
            await subscription.DisposeAsync().ConfigureAwait(false);
        if (kernelPump != null)
            await kernelPump.ConfigureAwait(false);
    }

    private sealed class TransportSender(IkeTransport transport, ILogger? packetLog) : IDatagramSender
    {
        public bool Send(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
        {
            if (packetLog is not null && packetLog.IsEnabled(LogLevel.Debug))
                LogSending(packetLog, message.Length, remote, local, Convert.ToHexStringLower(message));
            return transport.Send(local, remote, message);
        }

        public bool SendNatKeepalive(IPEndPoint local, IPEndPoint remote) => transport.SendNatKeepalive(local, remote);
    }
}
