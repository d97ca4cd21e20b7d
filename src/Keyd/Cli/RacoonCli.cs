namespace KernelIpsec.Keyd.Cli;

/// <summary>Where the CLI writes and what it asks of the process.</summary>
public sealed record RacoonCliContext(TextWriter Out, TextWriter Error, Func<string, string?> Environment, Func<bool> IsRoot, IRacoonRuntime Runtime);

/// <summary>
/// racoon's `main()`: parse the flags, then dump (`-C`), check (`--check`) or run the daemon as root, in the
/// foreground with `-F`, detached otherwise.
/// </summary>
public static class RacoonCli
{
    public static int Run(IReadOnlyList<string> args, RacoonCliContext context)
    {
        switch (RacoonCommandLine.Parse(args, context.Out, context.Error, context.Environment))
        {
            case RacoonCommandLine.Exit exit:
                context.Out.Flush();
                return exit.Code;
            case RacoonCommandLine.Parsed { Options: var options }:
                context.Out.Flush();
                // Reading a configuration needs no privilege: let administrators check one before installing it.
                if (options.DumpConfig)
                    return context.Runtime.DumpConfig(options, context.Out, context.Error);
                if (options.CheckConfig)
                    return context.Runtime.CheckConfig(options, context.Out, context.Error);
                if (!context.IsRoot())
                {
                    context.Error.WriteLine("racoon: must be root to invoke this program.");
                    return 1;
                }
                if (!options.Foreground && !context.Runtime.IsDetachedChild)
                    return context.Runtime.Detach(args, context.Error);
                return context.Runtime.RunDaemon(options);
            default:
                throw new InvalidOperationException("unreachable: the parser returns Exit or Parsed");
        }
    }
}
