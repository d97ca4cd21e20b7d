using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Binding;
using KernelIpsec.Setkey.Cli;
using KernelIpsec.Setkey.Names;

namespace KernelIpsec.Tests.Setkey;

/// <summary>Runs the whole setkey tool in-process against a given kernel with a fixed clock, files and names.</summary>
internal sealed class SetkeyHarness
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 49, 59, TimeSpan.Zero);

    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> binaryFiles = new(StringComparer.Ordinal);

    public SetkeyHarness(IKernelIpsec kernel) => Kernel = kernel;

    public IKernelIpsec Kernel { get; }

    public FixedTime Time { get; } = new(Now);

    public Dictionary<string, IPAddress[]> Hosts { get; } = new(StringComparer.Ordinal);

    public SetkeyHarness WithFile(string name, string text)
    {
        files[name] = text;
        return this;
    }

    public SetkeyHarness WithBinaryFile(string name, byte[] bytes)
    {
        binaryFiles[name] = bytes;
        return this;
    }

    public sealed record Outcome(int ExitCode, string StdOut, string StdErr);

    public Outcome Run(string args, string stdin = "", string kernelName = "xfrm")
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var backends = new KernelBackends().Add(kernelName, () => new NonDisposingKernel(Kernel));
        var environment = new SetkeyEnvironment(
            ProtocolNames.BuiltIn,
            ServiceNames.Parse("ssh 22/tcp\nisakmp 500/udp\nipsec-nat-t 4500/udp\n"),
            new FakeResolver(Hosts),
            Time,
            TimeZoneInfo.Utc,
            4242,
            name => files.TryGetValue(name, out var text) ? text : throw new FileNotFoundException($"No such file or directory: {name}"))
        {
            BinaryFiles = name => binaryFiles.TryGetValue(name, out var bytes) ? bytes : throw new FileNotFoundException("No such file or directory"),
        };
        var rc = SetkeyCli.RunAsync(Split(args), new StringReader(stdin), stdout, stderr, backends, environment, CancellationToken.None)
            .GetAwaiter().GetResult();
        return new Outcome(rc, stdout.ToString(), stderr.ToString());
    }

    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>golden.sh's norm(): times, pids, spids, SA seq and refcnt replaced.</summary>
    public static string Normalise(string dump)
    {
        var lines = dump.Split('\n').Select(line =>
        {
            line = Regex.Replace(line, @"(created|current|diff|last|lastused|expire|hard|soft): *[A-Z][a-z]{2} +[0-9]+ [0-9:]+ [0-9]{4}", "$1: TIME");
            line = Regex.Replace(line, @"diff: [0-9]+\(s\)", "diff: N(s)", RegexOptions.None, TimeSpan.FromSeconds(1));
            line = Regex.Replace(line, "pid=[0-9]+", "pid=P");
            line = Regex.Replace(line, "spid=[0-9]+", "spid=S");
            line = new Regex("seq=0x[0-9a-f]+ replay").Replace(line, "seq=X replay", 1);
            return Regex.Replace(line, "refcnt=[0-9]+", "refcnt=R");
        });
        return string.Join('\n', lines);
    }

    private sealed class FakeResolver(Dictionary<string, IPAddress[]> hosts) : IHostResolver
    {
        public IReadOnlyList<IPAddress> Resolve(string host) =>
            hosts.TryGetValue(host, out var addresses) ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The tool disposes the kernel it opened; tests keep using theirs across runs.</summary>
    private sealed class NonDisposingKernel(IKernelIpsec inner) : IKernelIpsec
    {
        public Task AddSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) => inner.AddSaAsync(sa, cancellationToken);
        public Task UpdateSaAsync(SecurityAssociation sa, CancellationToken cancellationToken = default) => inner.UpdateSaAsync(sa, cancellationToken);
        public Task<SecurityAssociation?> GetSaAsync(SaId id, CancellationToken cancellationToken = default) => inner.GetSaAsync(id, cancellationToken);
        public Task DeleteSaAsync(SaId id, CancellationToken cancellationToken = default) => inner.DeleteSaAsync(id, cancellationToken);
        public Task<IReadOnlyList<SecurityAssociation>> DumpSasAsync(CancellationToken cancellationToken = default) => inner.DumpSasAsync(cancellationToken);
        public Task FlushSasAsync(IpsecProtocol? protocol = null, CancellationToken cancellationToken = default) => inner.FlushSasAsync(protocol, cancellationToken);
        public Task<uint> AllocateSpiAsync(SpiRequest request, CancellationToken cancellationToken = default) => inner.AllocateSpiAsync(request, cancellationToken);
        public Task AddPolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => inner.AddPolicyAsync(policy, cancellationToken);
        public Task UpdatePolicyAsync(SecurityPolicy policy, CancellationToken cancellationToken = default) => inner.UpdatePolicyAsync(policy, cancellationToken);
        public Task<SecurityPolicy?> GetPolicyAsync(PolicyId id, CancellationToken cancellationToken = default) => inner.GetPolicyAsync(id, cancellationToken);
        public Task DeletePolicyAsync(PolicyId id, CancellationToken cancellationToken = default) => inner.DeletePolicyAsync(id, cancellationToken);
        public Task<IReadOnlyList<SecurityPolicy>> DumpPoliciesAsync(CancellationToken cancellationToken = default) => inner.DumpPoliciesAsync(cancellationToken);
        public Task FlushPoliciesAsync(CancellationToken cancellationToken = default) => inner.FlushPoliciesAsync(cancellationToken);
        public IKernelEventSubscription SubscribeEvents() => inner.SubscribeEvents();
        public KernelCapabilities Capabilities => inner.Capabilities;
        public IKernelEventSubscription SubscribePromiscuous() => inner.SubscribePromiscuous();
        public void ObservePfKeyTraffic(PfKeyTrafficObserver observer) => inner.ObservePfKeyTraffic(observer);
        public void BypassSocket(Socket socket) => inner.BypassSocket(socket);
        public void EnableUdpEncapsulation(Socket socket) => inner.EnableUdpEncapsulation(socket);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A clock that stands still unless a test moves it.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Current { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Current;
}
