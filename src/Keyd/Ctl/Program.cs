namespace KernelIpsec.Keyd.Ctl;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Out.WriteLine("racoonctl @(#) KernelIpsec (ipsec-tools 0.8.2 compatible)");
        return args.Length == 0 ? 1 : 0;
    }
}
