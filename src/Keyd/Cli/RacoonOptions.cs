using System.Net.Sockets;
using KernelIpsec.Keyd.Config;

namespace KernelIpsec.Keyd.Cli;

/// <summary>racoon's command line after parsing (getopt `dLFp:P:f:l:vVZBC46` plus `--check` and `--kernel`).</summary>
public sealed record RacoonOptions
{
    public const string DefaultConfigFile = "/etc/racoon/racoon.conf";
    public const int DefaultIsakmpPort = 500;
    public const int DefaultNattPort = 4500;

    /// <summary>Number of `-d` flags: each raises the configured `log` level by one.</summary>
    public int DebugLevel { get; init; }

    /// <summary>`-L`: prefix log messages with where they come from.</summary>
    public bool PrintLocation { get; init; }

    /// <summary>`-F`: stay in the foreground and log to stderr (unless `-l`).</summary>
    public bool Foreground { get; init; }

    /// <summary>`-p`: ISAKMP port; wins over `listen` in the configuration.</summary>
    public int? IsakmpPort { get; init; }

    /// <summary>`-P`: NAT-T port.</summary>
    public int? NattPort { get; init; }

    public string ConfigFile { get; init; } = DefaultConfigFile;

    /// <summary>`-l`: log to this file instead of syslog/stderr.</summary>
    public string? LogFile { get; init; }

    /// <summary>Number of `-v` flags: packet dumps in the debug log.</summary>
    public int Verbose { get; init; }

    /// <summary>`-4`/`-6`: listen on addresses of this family only (the last flag wins); null without either: both families.</summary>
    public AddressFamily? ListenFamily { get; init; }

    /// <summary>`-Z`: local test mode; SAs go to an in-memory kernel instead of the real one.</summary>
    public bool LocalTestMode { get; init; }

    /// <summary>`-B`: install the SAs saved in `path backupsa` at start.</summary>
    public bool LoadBackupSa { get; init; }

    /// <summary>`-C`: print the parsed remote configurations and exit.</summary>
    public bool DumpConfig { get; init; }

    /// <summary>`--check`: validate the configuration (and the files it names) and exit.</summary>
    public bool CheckConfig { get; init; }

    /// <summary>`--kernel` or KERNELIPSEC_KERNEL; null when neither chose (racoon.conf's `kernel` or the default then decide, see <see cref="KernelChoice.Resolve"/>).</summary>
    public KernelChoice? Kernel { get; init; }

    public int EffectiveIsakmpPort => IsakmpPort ?? DefaultIsakmpPort;

    public int EffectiveNattPort => NattPort ?? DefaultNattPort;
}
