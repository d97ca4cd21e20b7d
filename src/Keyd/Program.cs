using KernelIpsec.Keyd.Cli;
using KernelIpsec.Keyd.Privileges;

namespace KernelIpsec.Keyd;

internal static class Program
{
    private static int Main(string[] args)
    {
        // The racoon that re-executed itself with fewer capabilities printed "Foreground mode." etc. already;
        // the variable is not passed on to hooks.
        var reexecuted = Environment.GetEnvironmentVariable(ProcessCapabilities.ReexecutedVariable) == "1";
        Environment.SetEnvironmentVariable(ProcessCapabilities.ReexecutedVariable, null);
        return RacoonCli.Run(args, new RacoonCliContext(reexecuted ? TextWriter.Null : Console.Out, Console.Error, Environment.GetEnvironmentVariable,
            () => Tmds.Linux.LibC.geteuid() == 0, new RacoonRuntime()));
    }
}
