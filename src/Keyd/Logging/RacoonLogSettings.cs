using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Logging;

/// <summary>
/// The live log settings of one daemon: the level (`log` in racoon.conf plus one per `-d`) changes on
/// SIGHUP, so loggers read it on every call instead of capturing it.
/// </summary>
public sealed class RacoonLogSettings
{
    private volatile int level;

    public RacoonLogSettings(RacoonLogLevel level, bool printLocation = false)
    {
        this.level = (int)level;
        PrintLocation = printLocation;
    }

    public RacoonLogLevel Level
    {
        get => (RacoonLogLevel)level;
        set => level = (int)value;
    }

    /// <summary>`-L`: prefix each message with the component that wrote it.</summary>
    public bool PrintLocation { get; }

    /// <summary>The level racoon ends up with: the configured one raised by one per `-d`, at most DEBUG2.</summary>
    public static RacoonLogLevel Effective(RacoonLogLevel configured, int debugFlags) =>
        (RacoonLogLevel)Math.Min((int)RacoonLogLevel.Debug2, (int)configured + Math.Max(0, debugFlags));
}
