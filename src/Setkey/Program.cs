using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Setkey.Cli;

namespace KernelIpsec.Setkey;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        // -x and -D -l run until interrupted; Ctrl-C ends them with status 0 like the reference.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        await using (stdout.ConfigureAwait(false))
        {
            return await SetkeyCli.RunAsync(args, Console.In, stdout, Console.Error, Backends(), SetkeyEnvironment.System(), cancel.Token)
                .ConfigureAwait(false);
        }
    }

    /// <summary>The kernel interfaces of this build; a new backend is one more Add line.</summary>
    private static KernelBackends Backends() => new KernelBackends()
        .Add("xfrm", () => XfrmKernel.Open());
}
