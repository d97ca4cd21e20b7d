using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Backends;
using KernelIpsec.Setkey.Cli;

namespace KernelIpsec.Setkey;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        args = WithKernelFromEnvironment(args);
        using var cancel = new CancellationTokenSource();
        // -x and -D -l run until interrupted; Ctrl-C ends them with status 0 like the reference. Only they
        // listen for it: the handler starts a signal thread and sets up the terminal, which a one-shot run
        // (-D, -f) does not need, and there Ctrl-C kills the process as it kills the reference.
        if (SetkeyOptions.Parse(args).RunsUntilInterrupted)
        {
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
        }
        // Plain write(2) streams, not the console's (see UnixOutputStream). stdout is disposed (and so flushed)
        // synchronously: an async flush would start the thread pool's threads for one write.
        using var stdout = new StreamWriter(new UnixOutputStream(1)) { AutoFlush = false };
        using var stderr = new StreamWriter(new UnixOutputStream(2)) { AutoFlush = true };
        return await SetkeyCli.RunAsync(args, new LazyConsoleInput(), stdout, stderr, Backends(), SetkeyEnvironment.System(), cancel.Token)
            .ConfigureAwait(false);
    }

    /// <summary>Every kernel interface of <see cref="KernelIpsecFactory"/>'s table, opened when a command needs it.</summary>
    private static KernelBackends Backends()
    {
        var backends = new KernelBackends();
        foreach (var name in KernelIpsecFactory.Names)
            backends.Add(name, () => KernelIpsecFactory.Create(name));
        return backends;
    }

    /// <summary>Without --kernel, KERNELIPSEC_KERNEL picks the backend (as for racoon).</summary>
    private static string[] WithKernelFromEnvironment(string[] args) =>
        args.Any(a => a == "--kernel" || a.StartsWith("--kernel=", StringComparison.Ordinal))
        || Environment.GetEnvironmentVariable(KernelIpsecFactory.EnvironmentVariable) is not { Length: > 0 } fromEnvironment
            ? args
            : ["--kernel", fromEnvironment, .. args];
}
