namespace KernelIpsec.Keyd.Ctl;

internal static class Program
{
    private static int Main(string[] args) => RacoonctlCli.Run(args, Console.Out, Console.Error);
}
