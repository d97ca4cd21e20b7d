namespace KernelIpsec.Keyd.Cli;

/// <summary>The side effects behind racoon's command line, separate so the CLI itself is testable.</summary>
public interface IRacoonRuntime
{
    /// <summary>`-C`: print the parsed remote configurations; returns the exit code.</summary>
    int DumpConfig(RacoonOptions options, TextWriter stdout, TextWriter stderr);

    /// <summary>`--check`: validate the configuration and the files it names; returns the exit code.</summary>
    int CheckConfig(RacoonOptions options, TextWriter stdout, TextWriter stderr);

    /// <summary>Without `-F`: start the daemon detached from the terminal (racoon's daemon(3)); returns the parent's exit code.</summary>
    int Detach(IReadOnlyList<string> args, TextWriter stderr);

    /// <summary>True in the detached child <see cref="Detach"/> started.</summary>
    bool IsDetachedChild { get; }

    /// <summary>Runs the daemon until SIGTERM/SIGINT; returns the exit code.</summary>
    int RunDaemon(RacoonOptions options);
}
