using System.Diagnostics;
using System.Runtime.InteropServices;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Keyd.Logging;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Backends;
using KernelIpsec.Netlink.InMemory;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace KernelIpsec.Keyd.Cli;

/// <summary>The real process behind <see cref="RacoonCli"/>: config files, the kernel, sockets, signals.</summary>
public sealed class RacoonRuntime : IRacoonRuntime
{
    /// <summary>Set in the child <see cref="Detach"/> starts, so it runs instead of detaching again.</summary>
    public const string DetachedEnvironmentVariable = "KERNELIPSEC_RACOON_DETACHED";

    public bool IsDetachedChild => Environment.GetEnvironmentVariable(DetachedEnvironmentVariable) == "1";

    public int DumpConfig(RacoonOptions options, TextWriter stdout, TextWriter stderr)
    {
        var result = RacoonConfLoader.Read(options.ConfigFile);
        foreach (var diagnostic in result.Diagnostics)
            stderr.WriteLine(diagnostic);
        if (result.Config is null)
            return 1;
        ConfigDumper.Dump(result.Config, stdout, KernelChoice.Resolve(options.Kernel, result.Kernel));
        return 0;
    }

    public int CheckConfig(RacoonOptions options, TextWriter stdout, TextWriter stderr) => ConfigCheck.Run(options.ConfigFile, stdout);

    public int Detach(IReadOnlyList<string> args, TextWriter stderr)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the racoon executable");
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        // Run through `dotnet racoon.dll`: pass the dll on again.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet" && Environment.GetCommandLineArgs() is [var dll, ..] && dll.EndsWith(".dll", StringComparison.Ordinal))
            start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment[DetachedEnvironmentVariable] = "1";
        try
        {
            using var child = Process.Start(start) ?? throw new InvalidOperationException("the daemon process did not start");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            stderr.WriteLine($"racoon: failed to be daemon. ({e.Message})");
            return 1;
        }
        return 0;
    }

    public int RunDaemon(RacoonOptions options)
    {
        if (IsDetachedChild)
            LeaveTerminal();
        _ = umask((Tmds.Linux.mode_t)Convert.ToUInt32("077", 8));
        var loaded = RacoonConfLoader.Read(options.ConfigFile);
        if (loaded.Config is not { } parsed)
        {
            foreach (var diagnostic in loaded.Diagnostics)
                Console.Error.WriteLine(diagnostic);
            return 1;
        }
        // -P: where IKE floats when a NAT is found (ours and the peer's NAT-T port, as racoon's port_isakmp_natt).
        var config = parsed with { NattPort = options.EffectiveNattPort };
        // Before any log, socket or kernel handle is open: may execute racoon again with fewer capabilities.
        var privileges = Privileges.LeastPrivilege.Apply(config, options.LocalTestMode);

        var settings = new RacoonLogSettings(RacoonLogSettings.Effective(config.LogLevel, options.DebugLevel), options.PrintLocation);
        IRacoonLogSink sink = options.LogFile is { } logFile ? new FileLogSink(logFile)
            : options.Foreground && !IsDetachedChild ? new TextWriterLogSink(Console.Error, JournalStream.IsStandardError())
            : new SyslogLogSink();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new RacoonLoggerProvider(sink, settings)));
        var logger = loggers.CreateLogger("KernelIpsec.Keyd.Daemon.Racoon");
        logger.LogInformation("{Version}", RacoonCommandLine.VersionString);
        logger.LogInformation("@(#)This product is KernelIpsec racoon on .NET {Runtime}", Environment.Version);
        logger.LogInformation("Reading configuration from \"{File}\"", options.ConfigFile);
        foreach (var warning in loaded.Warnings)
            logger.LogWarning("{Diagnostic}", warning.ToString());
        var kernelChoice = KernelChoice.Resolve(options.Kernel, loaded.Kernel);
        logger.LogInformation("kernel interface: {Kernel}", kernelChoice);
        if (privileges is { Failed: true })
            logger.LogWarning("{Privileges}", privileges.Message);
        else if (privileges is not null)
            logger.LogInformation("{Privileges}", privileges.Message);

        IKernelIpsec kernel;
        try
        {
            kernel = OpenKernel(options, kernelChoice.Interface, loggers);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError("cannot open the kernel interface: {Error}", e.Message);
            Console.Error.WriteLine($"racoon: cannot open the kernel interface: {e.Message}");
            return 1;
        }

        var pidPath = PidFile.Resolve(config.Paths.PidFile);
        var daemonSettings = new KeyDaemonSettings
        {
            IsakmpPort = options.EffectiveIsakmpPort,
            NattPort = options.EffectiveNattPort,
            PidFile = pidPath,
            // -Z keeps its SAs in memory: nothing of them belongs on disk.
            Journal = options.LocalTestMode ? null : new State.SaJournal(OwnedSaPath(pidPath), config.Paths.BackupSa, TimeZoneInfo.Local,
                loggers.CreateLogger("KernelIpsec.Keyd.State.SaJournal")),
            RestoreBackupSa = options.LoadBackupSa,
            LoadConfig = () => Reload(options, kernelChoice, logger),
            ConfigApplied = applied => settings.Level = RacoonLogSettings.Effective(applied.LogLevel, options.DebugLevel),
            Notifier = SystemdNotifier.FromEnvironment(),
            Verbose = options.Verbose,
            ListenFamily = options.ListenFamily,
        };
        var time = TimeProvider.System;
        var daemon = new KeyDaemon(config, kernel,
            spd => new EngineAdapter(config, spd, loggers.CreateLogger("KernelIpsec.Ike.Engine"), daemonSettings.PamSessions),
            daemonSettings, loggers, time);
        InheritedSignals.ResetToDefault();
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            sink.Reopen();
            daemon.Post(new ReloadRequested());
        });
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            daemon.Post(new TerminateRequested("SIGTERM"));
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            daemon.Post(new TerminateRequested("SIGINT"));
        });
        try
        {
            return daemon.RunAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError("racoon failed to start: {Error}", e.Message);
            Console.Error.WriteLine($"racoon: {e.Message}");
            return 1;
        }
        finally
        {
            daemon.DisposeAsync().AsTask().GetAwaiter().GetResult();
            kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
            sink.Dispose();
        }
    }

    /// <summary>The list of the daemon's SAs lives beside its pid file (/var/run/racoon.pid → /var/run/racoon.sas), on the tmpfs a reboot empties along with the kernel.</summary>
    public static string OwnedSaPath(string pidFile) => Path.ChangeExtension(pidFile, ".sas");

    /// <summary>SIGHUP: the new configuration; a changed `kernel` statement only takes effect at the next start.</summary>
    private static RacoonConfig Reload(RacoonOptions options, KernelChoice running, ILogger logger)
    {
        var result = RacoonConfLoader.Read(options.ConfigFile);
        if (result.Config is not { } config)
            throw new ConfigLoadException(result.Diagnostics);
        var wanted = KernelChoice.Resolve(options.Kernel, result.Kernel);
        if (wanted.Interface != running.Interface)
            logger.LogWarning("kernel interface {Wanted} takes effect at the next start; this run keeps {Running}", wanted, running);
        return config with { NattPort = options.EffectiveNattPort };
    }

    private static IKernelIpsec OpenKernel(RacoonOptions options, KernelInterface kernelInterface, ILoggerFactory loggers)
    {
        if (options.LocalTestMode)
            return new InMemoryKernel();
        // PF_KEY without af_key throws PlatformNotSupportedException: "PF_KEY not available: load af_key or use --kernel xfrm".
        return KernelIpsecFactory.Create(KernelChoice.Keyword(kernelInterface), loggers);
    }

    /// <summary>daemon(3)'s second half in the child: own session, stdio on /dev/null.</summary>
    private static unsafe void LeaveTerminal()
    {
        _ = setsid();
        var path = "/dev/null\0"u8;
        fixed (byte* p = path)
        {
            var fd = open(p, O_RDWR);
            if (fd >= 0)
            {
                // Best effort, as daemon(3): a failed redirection leaves that descriptor on the terminal.
                _ = dup2(fd, 0);
                _ = dup2(fd, 1);
                _ = dup2(fd, 2);
                if (fd > 2)
                    _ = close(fd);
            }
        }
    }
}
