using KernelIpsec.Netlink;
using KernelIpsec.Netlink.PfKey;
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
        // Disposed (and so flushed) synchronously: the console stream's async write runs on the thread
        // pool, and starting the pool's threads costs more than a whole `setkey -D` otherwise.
        using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        return await SetkeyCli.RunAsync(WithKernelFromEnvironment(args), Console.In, stdout, Console.Error, Backends(), SetkeyEnvironment.System(), cancel.Token)
            .ConfigureAwait(false);
    }

    /// <summary>The kernel interfaces of this build; a new backend is one more Add line.</summary>
    private static KernelBackends Backends() => new KernelBackends()
        .Add("xfrm", () => XfrmKernel.Open())
        .Add("pfkey", () => PfKeyKernel.Open());

    /// <summary>Without --kernel, KERNELIPSEC_KERNEL picks the backend (as for racoon).</summary>
    private static string[] WithKernelFromEnvironment(string[] args) =>
        args.Any(a => a == "--kernel" || a.StartsWith("--kernel=", StringComparison.Ordinal))
        || Environment.GetEnvironmentVariable(KernelIpsecFactory.EnvironmentVariable) is not { Length: > 0 } fromEnvironment
            ? args
            : ["--kernel", fromEnvironment, .. args];
}
