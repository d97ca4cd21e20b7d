using KernelIpsec.Netlink;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Dump;
using KernelIpsec.Setkey.Dump.Kdebug;

namespace KernelIpsec.Setkey.Cli;

/// <summary>
/// The whole setkey tool behind a testable entry point: arguments and streams in, exit status out.
/// Scripts are parsed and checked completely before the kernel is touched.
/// </summary>
public static class SetkeyCli
{
    public const string VersionLine = "setkey @(#) KernelIpsec (ipsec-tools 0.8.2 compatible)";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, KernelBackends backends) =>
        RunAsync(args, stdin, stdout, stderr, backends, SetkeyEnvironment.System(), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(
        string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, KernelBackends backends, SetkeyEnvironment environment, CancellationToken cancellationToken)
    {
        var options = SetkeyOptions.Parse(args);
        if (options.Problem is not null)
        {
            stderr.WriteLine($"setkey: {options.Problem}");
            Usage(stdout);
            return 1;
        }
        if (options.Files.Count > 0)
            return SavedMessages(options, environment, stdout, stderr);
        if (options.Version)
        {
            stdout.WriteLine(VersionLine);
            return 1;
        }
        if (options.Help || options.Mode is null)
        {
            Usage(stdout);
            return 1;
        }

        var dumpOptions = new DumpOptions(options.ShowPorts, environment.Protocols, environment.Time, environment.TimeZone, environment.ProcessId);
        var run = new Invocation(options, environment, stdout, stderr, new DumpFormatter(dumpOptions), dumpOptions, cancellationToken);
        try
        {
            return options.Mode switch
            {
                SetkeyMode.Script => await run.ScriptAsync(backends, stdin).ConfigureAwait(false),
                SetkeyMode.Stdin => await run.StdinAsync(backends, stdin).ConfigureAwait(false),
                _ => await run.KernelOnlyAsync(backends).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary><c>setkey FILE…</c>: each file's saved PF_KEY messages as -D/-DP records; no kernel is opened.</summary>
    private static int SavedMessages(SetkeyOptions options, SetkeyEnvironment environment, TextWriter stdout, TextWriter stderr)
    {
        var dumpOptions = new DumpOptions(options.ShowPorts, environment.Protocols, environment.Time, environment.TimeZone, environment.ProcessId);
        var saved = new SavedMessageDump(new DumpFormatter(dumpOptions), options.ShowDead);
        foreach (var file in options.Files)
        {
            string? problem;
            try
            {
                problem = saved.Print(environment.BinaryFiles(file), stdout);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = e.Message;
            }

            if (problem is null)
                continue;
            stdout.Flush();
            stderr.WriteLine($"setkey: {file}: {problem}");
            return 1;
        }

        stdout.Flush();
        return 0;
    }

    private static void Usage(TextWriter stdout)
    {
        stdout.WriteLine(VersionLine);
        stdout.WriteLine("usage: setkey [-vrk] file ...");
        stdout.WriteLine("       setkey [-nvrk] [--atomic] [--kernel xfrm|pfkey] -c");
        stdout.WriteLine("       setkey [-nvrk] [--atomic] [--kernel xfrm|pfkey] -f filename");
        stdout.WriteLine("       setkey [-Palpvrk] [--kernel xfrm|pfkey] -D");
        stdout.WriteLine("       setkey [-Pv] [--kernel xfrm|pfkey] -F");
        stdout.WriteLine("       setkey [-H] [--kernel xfrm|pfkey] -x");
        stdout.WriteLine("       setkey [-V] [-h]");
    }

    /// <summary>One invocation's state.</summary>
    private sealed class Invocation(
        SetkeyOptions options, SetkeyEnvironment environment, TextWriter stdout, TextWriter stderr,
        DumpFormatter formatter, DumpOptions dumpOptions, CancellationToken cancellationToken)
    {
        private readonly ScriptBinder binder = new(new BindingOptions(options.RfcMode, environment.Protocols, environment.Services, environment.Resolver));

        /// <summary>-v / -H: every PF_KEY message sent and received (over XFRM, the ones each operation stands for).</summary>
        private readonly KdebugTrace trace = new(stdout, options.Verbose, options.HexDump);

        /// <summary>The policies this invocation's statements added so far (the ND trap check looks back at them).</summary>
        private readonly List<SecurityPolicy> policiesSoFar = [];

        public async Task<int> ScriptAsync(KernelBackends backends, TextReader stdin)
        {
            var file = options.ScriptFile!;
            string text;
            try
            {
                text = file == "-" ? await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : environment.FileSystem(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"setkey: Can't open `{file}': {e.Message}");
                return 1;
            }

            var commands = Check(text, file == "-" ? "(stdin)" : file);
            if (commands is null)
                return 1;
            var kernel = OpenKernel(backends);
            if (kernel is null)
                return 1;
            await using (kernel.ConfigureAwait(false))
                return await ExecuteAsync(kernel, commands).ConfigureAwait(false) ? 0 : 1;
        }

        /// <summary>-c: statements from stdin, each run as soon as its <c>;</c> arrives; errors do not stop the loop.</summary>
        public async Task<int> StdinAsync(KernelBackends backends, TextReader stdin)
        {
            var kernel = OpenKernel(backends);
            if (kernel is null)
                return 1;
            await using (kernel.ConfigureAwait(false))
            {
                var ok = true;
                var pending = new System.Text.StringBuilder();
                var lineNumber = 0;
                var chunkStart = 1;
                while (await stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    lineNumber++;
                    if (pending.Length == 0)
                        chunkStart = lineNumber;
                    pending.Append(line).Append('\n');
                    if (!EndsStatement(pending.ToString()))
                        continue;
                    // Leading newlines keep the line numbers of messages those of the input.
                    var chunk = new string('\n', chunkStart - 1) + pending;
                    pending.Clear();
                    var parsed = Parsing.SetkeyScriptParser.Parse(chunk, "(stdin)");
                    var commands = Check(parsed);
                    if (commands is null)
                    {
                        ok = false;
                        continue;
                    }
                    ok &= await ExecuteAsync(kernel, commands).ConfigureAwait(false);
                    if (parsed.Commands.Any(c => c is Parsing.Ast.ExitCommand))
                        break;
                }
                return ok ? 0 : 1;
            }
        }

        /// <summary>-D, -DP, -F, -FP, -x: no script.</summary>
        public async Task<int> KernelOnlyAsync(KernelBackends backends)
        {
            var kernel = OpenKernel(backends, forceReal: true);
            if (kernel is null)
                return 1;
            await using (kernel.ConfigureAwait(false))
            {
                try
                {
                    switch (options.Mode)
                    {
                        case SetkeyMode.Dump when options.Loop && !options.Policy:
                            var shortFormat = new ShortFormatter(dumpOptions);
                            while (true)
                            {
                                stdout.Write(shortFormat.Format(await kernel.DumpSasAsync(cancellationToken).ConfigureAwait(false)));
                                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                                await Task.Delay(TimeSpan.FromSeconds(1), environment.Time, cancellationToken).ConfigureAwait(false);
                            }
                        case SetkeyMode.Dump:
                            stdout.Write(options.Policy
                                ? formatter.FormatPolicies(await kernel.DumpPoliciesAsync(cancellationToken).ConfigureAwait(false))
                                : formatter.FormatSas(await kernel.DumpSasAsync(cancellationToken).ConfigureAwait(false)));
                            return 0;
                        case SetkeyMode.Flush:
                            if (options.Policy)
                                await kernel.FlushPoliciesAsync(cancellationToken).ConfigureAwait(false);
                            else
                                await kernel.FlushSasAsync(null, cancellationToken).ConfigureAwait(false);
                            return 0;
                        default:
                            var monitor = new KdebugMonitor(stdout, stderr, options.HexDump, rawTimestamps: options.Promiscuous > 1, environment.Time, environment.TimeZone);
                            // Over PF_KEY, -x is setkey's own SADB_X_PROMISC monitor: every message on the system.
                            var subscription = kernel.Capabilities.PromiscuousMonitor ? kernel.SubscribePromiscuous() : kernel.SubscribeEvents();
                            await using (((IAsyncDisposable)subscription).ConfigureAwait(false))
                            {
                                await foreach (var e in subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
                                {
                                    monitor.Show(e);
                                    await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                                }
                            }
                            return 0;
                    }
                }
                catch (KernelIpsecException e)
                {
                    stderr.WriteLine($"setkey: {e.ErrnoText}");
                    return 1;
                }
            }
        }

        private IReadOnlyList<KernelCommand>? Check(string text, string file) => Check(Parsing.SetkeyScriptParser.Parse(text, file));

        /// <summary>Parses and binds; prints every problem; null when anything is wrong (then nothing is applied).</summary>
        private IReadOnlyList<KernelCommand>? Check(Parsing.ParsedScript parsed)
        {
            var bound = binder.Bind(parsed.Commands);
            var problems = parsed.Errors.Concat(bound.Errors).OrderBy(e => e.Position.Line).ThenBy(e => e.Position.Column).ToList();
            if (problems.Count == 0)
            {
                foreach (var (command, warning) in Checks.NeighbourDiscoveryTrap.Find(policiesSoFar, bound.Commands))
                    stderr.WriteLine($"setkey: {command.Position.File},{command.Position.Line}: {warning}");
                policiesSoFar.AddRange(bound.Commands.OfType<AddPolicyCommand>().Select(c => c.Policy));
                return bound.Commands;
            }
            foreach (var e in problems)
            {
                stderr.WriteLine($"setkey: {e.Message}");
                if (e.Expected is not null)
                    stderr.WriteLine($"setkey: {e.Position.File},{e.Position.Line}:{e.Position.Column}: expected {e.Expected}");
            }
            var first = problems[0].Position;
            stderr.WriteLine($"setkey: {first.File},{first.Line}: parse failed, nothing applied");
            return null;
        }

        private IKernelIpsec? OpenKernel(KernelBackends backends, bool forceReal = false)
        {
            if (options.NoAction && !forceReal)
                return new InMemoryKernel(environment.Time);
            try
            {
                if (backends.TryOpen(options.Kernel, out var kernel, out var problem))
                    return options.Mode == SetkeyMode.Promiscuous ? kernel : trace.Attach(kernel!, (uint)environment.ProcessId);
                stderr.WriteLine($"setkey: {problem}");
                return null;
            }
            catch (KernelIpsecException e)
            {
                stderr.WriteLine($"setkey: cannot open the {options.Kernel} kernel interface: {e.ErrnoText}");
                return null;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                stderr.WriteLine($"setkey: cannot open the {options.Kernel} kernel interface: {e.Message}");
                return null;
            }
        }

        /// <summary>Runs the commands in order; false when any failed. --atomic stops at the first failure and undoes the run.</summary>
        private async Task<bool> ExecuteAsync(IKernelIpsec kernel, IReadOnlyList<KernelCommand> commands)
        {
            var journal = options.Atomic && !options.NoAction ? new UndoJournal() : null;
            var context = new CommandContext(kernel, stdout, formatter, journal, printResults: !options.NoAction, cancellationToken);
            var ok = true;
            foreach (var command in commands)
            {
                string? failure = null;
                try
                {
                    await command.ExecuteAsync(context).ConfigureAwait(false);
                }
                catch (KernelIpsecException e)
                {
                    // -n runs against an empty kernel: entries the real one may hold are not errors.
                    if (options.NoAction && e.IsNotFound)
                        continue;
                    failure = e.IsNotFound && command.ReportsMissingAsNoEntry ? "No entry." : e.ErrnoText;
                }
                catch (ArgumentException e)
                {
                    failure = e.Message;
                }
                if (failure is null)
                    continue;
                ok = false;
                stderr.WriteLine($"setkey: {command.Position.File},{command.Position.Line}: {failure}");
                if (journal is not null)
                {
                    var undone = journal.Count;
                    var problems = await journal.RollBackAsync(kernel, CancellationToken.None).ConfigureAwait(false);
                    stderr.WriteLine($"setkey: {command.Position.File}: --atomic: rolled back {undone} change(s) made by this run");
                    foreach (var p in problems)
                        stderr.WriteLine($"setkey: rollback failed: {p}");
                    return false;
                }
            }
            // Synchronous on purpose: see Program (the console stream's async write starts the thread pool).
            stdout.Flush();
            return ok;
        }

        /// <summary>True when the text holds a <c>;</c> outside quotes and comments.</summary>
        private static bool EndsStatement(string text)
        {
            var quoted = false;
            var comment = false;
            foreach (var c in text)
            {
                if (comment)
                    comment = c != '\n';
                else if (quoted)
                    quoted = c != '"';
                else if (c == '"')
                    quoted = true;
                else if (c == '#')
                    comment = true;
                else if (c == ';')
                    return true;
            }
            return false;
        }
    }
}
