using KernelIpsec.Keyd.Cli;

namespace KernelIpsec.Keyd;

internal static class Program
{
    private static int Main(string[] args) =>
        RacoonCli.Run(args, new RacoonCliContext(Console.Out, Console.Error, Environment.GetEnvironmentVariable, () => Tmds.Linux.LibC.geteuid() == 0, new RacoonRuntime()));
}
