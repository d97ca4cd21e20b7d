using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Ctl;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Keyd.Transport;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>The daemon's loop with the in-memory kernel and a scripted engine: ACQUIRE to installed SAs, admin, shutdown.</summary>
[TestFixture, Category(Tier.Unit), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class KeyDaemonTests
{
    private static readonly IPAddress Left = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Right = IPAddress.Parse("10.77.0.2");

    /// <summary>On ACQUIRE asks for an SPI; with the SPI installs a pair; records what else it was asked.</summary>
    private sealed class ScriptedEngine : IKeyEngine
    {
        public List<string> Calls { get; } = [];

        public IReadOnlyList<EngineIntent> OnDatagram(IkeDatagram datagram, DateTimeOffset now) => [];

        public IReadOnlyList<EngineIntent> OnAcquire(AcquireRequest acquire, DateTimeOffset now)
        {
            Calls.Add($"acquire {acquire.Local}->{acquire.Remote} reqid {acquire.Policy.Templates[0].Reqid}");
            return [new AllocateSpi(1, IpsecSaProtocol.Esp, acquire.Remote, acquire.Local, acquire.Policy.Templates[0].Reqid)];
        }

        public IReadOnlyList<EngineIntent> OnExpire(ExpireEvent expire, DateTimeOffset now)
        {
            Calls.Add($"expire {expire.Spi:x} hard={expire.Hard}");
            return [];
        }

        /// <summary>Set: the pairs it installs are ESP in UDP with these ports.</summary>
        public UdpEncapsulation? Encapsulation { get; set; }

        private IpsecSaPair? pair;

        public IReadOnlyList<EngineIntent> OnSpiAllocated(SpiAllocation allocation, DateTimeOffset now)
        {
            Calls.Add("spi");
            pair = new IpsecSaPair(IpsecSaProtocol.Esp, IpsecSaMode.Transport, Left, Right, allocation.Spi!.Value, 0x7000,
                3, 0, 2, new SaKeys(new byte[24], new byte[20]), new SaKeys(new byte[24], new byte[20]), new IpsecLifetime(600, 0), 3,
                TrafficSelector.Host(Left), TrafficSelector.Host(Right), Encapsulation);
            return [new InstallSaPair(pair)];
        }

        public IReadOnlyList<EngineIntent> OnTimer(DateTimeOffset now) => [];

        /// <summary>As the engine does for its pair: the same SAs with the peer's new port.</summary>
        public IReadOnlyList<EngineIntent> OnNatMapping(NatMappingChange change, DateTimeOffset now)
        {
            Calls.Add($"mapping {change.Protocol} {change.Spi:x} at {change.Destination}: {change.OldPeer} -> {change.NewPeer}");
            if (pair?.Encapsulation is not { } encapsulation || pair.InboundSpi != change.Spi)
                return [];
            pair = pair with { Encapsulation = encapsulation with { RemotePort = change.NewPeer.Port } };
            return [new UpdateSaPair(pair)];
        }

        public IReadOnlyList<EngineIntent> Reconfigure(RacoonConfig config, DateTimeOffset now)
        {
            Calls.Add("reconfigure");
            return [];
        }

        public IReadOnlyList<EngineIntent> EstablishPhase1(IPAddress? local, IPAddress remote, string? remoteName, XauthCredentials? credentials, DateTimeOffset now)
        {
            if (credentials is null)
            {
                Calls.Add($"establish {remote}");
                return [];
            }
            // An XAuth client's phase 1: up once Mode Config has given it an address.
            Calls.Add($"establish {local}->{remote} as {credentials.Login} with {System.Text.Encoding.UTF8.GetString(credentials.Password)}");
            var cfg = new ModeCfgAttributes { Address4 = IPAddress.Parse("10.77.8.1"), Banner = "Welcome to the rig" };
            return [new Phase1Up(new IPEndPoint(local ?? IPAddress.Loopback, 500), new IPEndPoint(remote, 500), 5, 6, new Phase1Details(remote.ToString(), credentials.Login, cfg))];
        }

        public IReadOnlyList<EngineIntent> DeletePhase1(IPAddress? local, IPAddress remote, DateTimeOffset now)
        {
            Calls.Add($"delete {remote}");
            // One established phase 1, with the right host.
            return remote.Equals(Right) ? [new Phase1Down(new IPEndPoint(Left, 500), new IPEndPoint(Right, 500), 1, 2, "deleted by the administrator")] : [];
        }

        public IReadOnlyList<EngineIntent> FlushPhase1(DateTimeOffset now) => [];

        public IReadOnlyList<EngineIntent> LogoutUser(string login, DateTimeOffset now)
        {
            Calls.Add($"logout {login}");
            LoggedIn.RemoveAll(u => u.User == login);
            return [];
        }

        /// <summary>Logins the test says the engine holds (an XAuth server's view).</summary>
        public List<(string User, IPEndPoint Peer)> LoggedIn { get; } = [];

        public IReadOnlyList<(string User, IPEndPoint Peer)> XauthUsers => LoggedIn;

        public IReadOnlyList<EngineIntent> Shutdown(DateTimeOffset now)
        {
            Calls.Add("shutdown");
            return [];
        }

        public IReadOnlyList<Phase1Status> Phase1Sas => [];
    }

    private DirectoryInfo dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = Directory.CreateTempSubdirectory("keyd-daemon");

    [TearDown]
    public void RemoveDirectory() => dir.Delete(recursive: true);

    private (KeyDaemon Daemon, InMemoryKernel Kernel, ScriptedEngine Engine, string Socket, Task<int> Run) Start(Func<RacoonConfig>? reload = null,
        bool records = false, bool restore = false, InMemoryKernel? kernel = null, ILoggerFactory? loggers = null)
    {
        var socket = Path.Combine(dir.FullName, "racoon.sock");
        var config = new RacoonConfig
        {
            Listen = new ListenConfig { AdminSocket = new AdminSocketConfig { Path = socket } },
            Paths = new PathsConfig { BackupSa = records ? BackupPath : null },
        };
        kernel ??= new InMemoryKernel();
        var engine = new ScriptedEngine();
        var daemon = new KeyDaemon(config, kernel, _ => engine, new KeyDaemonSettings
        {
            LoadConfig = reload ?? (() => config),
            LocalAddresses = () => [],
            PidFile = Path.Combine(dir.FullName, "racoon.pid"),
            Journal = records ? new KernelIpsec.Keyd.State.SaJournal(OwnedPath, BackupPath, TimeZoneInfo.Local, NullLogger.Instance) : null,
            RestoreBackupSa = restore,
        }, loggers ?? NullLoggerFactory.Instance);
        var run = Task.Run(() => daemon.RunAsync());
        Assert.That(daemon.Started.Wait(TimeSpan.FromSeconds(10)), Is.True, "daemon did not start");
        return (daemon, kernel, engine, socket, run);
    }

    private string OwnedPath => Path.Combine(dir.FullName, "racoon.sas");

    private string BackupPath => Path.Combine(dir.FullName, "backupsa");

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++)
            await Task.Delay(50);
        Assert.That(await condition(), Is.True);
    }

    private static SecurityPolicy OutPolicy() =>
        new(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right)), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Require, 3)]);

    [Test]
    public async Task AcquireFromTheKernelEndsWithBothSasInstalled()
    {
        var (daemon, kernel, engine, _, run) = Start();
        await using var _ = daemon;
        await kernel.AddPolicyAsync(OutPolicy());
        Assert.That(kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right), 17, 1234, 53)), Is.Not.Null);

        await Eventually(async () => (await kernel.DumpSasAsync()).Count(s => s.Encryption != null) == 2);
        Assert.That(engine.Calls, Does.Contain("acquire 10.77.0.1->10.77.0.2 reqid 3"));
        var outbound = await kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x7000));
        Assert.That((outbound!.ReplayWindow, outbound.ReqId, outbound.Lifetime.Soft.AddSeconds), Is.EqualTo((4u, 3u, 480ul)));
        daemon.Post(new TerminateRequested("SIGTERM"));
        Assert.That(await run, Is.Zero);
    }

    [Test]
    public async Task AnAcquireForNeighbourDiscoveryIsExplainedOncePerPolicy()
    {
        var output = new StringWriter();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new KernelIpsec.Keyd.Logging.RacoonLoggerProvider(new KernelIpsec.Keyd.Logging.TextWriterLogSink(output),
                new KernelIpsec.Keyd.Logging.RacoonLogSettings(RacoonLogLevel.Info))));
        var (daemon, kernel, engine, _, run) = Start(loggers: loggers);
        await using var _ = daemon;
        var everything = new SecurityPolicy(new Selector(AddressPrefix.Parse("::/0"), AddressPrefix.Parse("::/0")), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Require)]);
        await kernel.AddPolicyAsync(everything);
        var solicitation = new Selector(AddressPrefix.Parse("fd77::1/128"), AddressPrefix.Parse("ff02::1:ff00:2/128"), 58, 135, 0);
        var raised = new[] { kernel.SendPacket(solicitation), kernel.SendPacket(solicitation with { }),
            kernel.SendPacket(new Selector(AddressPrefix.Parse("fd77::1/128"), AddressPrefix.Parse("fd77::2/128"), 58, 128, 0)) }.Count(a => a is not null);
        Assert.That(raised, Is.GreaterThanOrEqualTo(1));
        await Eventually(() => Task.FromResult(engine.Calls.Count(c => c.StartsWith("acquire", StringComparison.Ordinal)) == raised));
        daemon.Post(new TerminateRequested("SIGTERM"));
        Assert.That(await run, Is.Zero);

        var warnings = output.ToString().Split('\n').Where(l => l.Contains("neighbour discovery", StringComparison.Ordinal)).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), output.ToString());
        Assert.That(warnings[0], Does.EndWith("WARNING: ICMPv6 neighbour discovery (type 135) needs an SA under the policy src ::/0 dst ::/0: the peer's address cannot be resolved "
            + "before IKE, and IKE needs it resolved, so the negotiation cannot start; bypass ND before that policy, e.g. "
            + "`spdadd ::/0 ::/0 icmp6 135,0 -P out prio high none; spdadd ::/0 ::/0 icmp6 136,0 -P out prio high none;`"));
    }

    [Test]
    public async Task ShutdownRemovesOnlyTheSasTheDaemonInstalled()
    {
        var (daemon, kernel, engine, _, run) = Start();
        await using var _ = daemon;
        var manual = new SecurityAssociation(IPAddress.Parse("10.77.9.1"), IPAddress.Parse("10.77.9.2"), IpsecProtocol.Esp, 0x1234)
        {
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), new byte[16]),
        };
        await kernel.AddSaAsync(manual);
        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right)));
        await Eventually(async () => (await kernel.DumpSasAsync()).Count == 3);
        var pid = Path.Combine(dir.FullName, "racoon.pid");
        Assert.That(File.ReadAllText(pid), Is.EqualTo($"{Environment.ProcessId}\n"));

        daemon.Post(new TerminateRequested("SIGTERM"));
        Assert.That(await run, Is.Zero);

        var left = await kernel.DumpSasAsync();
        Assert.That(left.Select(s => s.Id), Is.EqualTo(new[] { manual.Id }), "racoon would have flushed the manual SA too");
        Assert.That(engine.Calls, Does.Contain("shutdown"));
        Assert.That(File.Exists(pid), Is.False);
        Assert.That(File.Exists(Path.Combine(dir.FullName, "racoon.sock")), Is.False);
    }

    [Test]
    public async Task ExpiresReachTheEngineAndAHardExpiredSaIsStillRemovedAtExit()
    {
        var (daemon, kernel, engine, _, run) = Start();
        await using var _ = daemon;
        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right)));
        await Eventually(async () => (await kernel.DumpSasAsync()).Count(s => s.Encryption != null) == 2);
        var id = new SaId(Left, Right, IpsecProtocol.Esp, 0x7000);
        kernel.ExpireSa(id, hard: false);
        await Eventually(() => Task.FromResult(engine.Calls.Contains("expire 7000 hard=False")));
        kernel.ExpireSa(id, hard: true);
        await Eventually(() => Task.FromResult(engine.Calls.Contains("expire 7000 hard=True")));
        daemon.Post(new TerminateRequested("SIGTERM"));
        Assert.That(await run, Is.Zero);
        Assert.That(await kernel.DumpSasAsync(), Is.Empty);
    }

    [Test]
    public async Task HardExpireOfAnSaTheKernelStillHoldsIsStaleAndKeepsThePair()
    {
        var (daemon, kernel, engine, _, run) = Start();
        await using var _ = daemon;
        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right)));
        await Eventually(async () => (await kernel.DumpSasAsync()).Count(s => s.Encryption != null) == 2);
        var inbound = (await kernel.DumpSasAsync()).Single(s => s.Id.Destination.Equals(Left));

        // Seen in the VM: the larval state of the allocated SPI times out while the first install loads
        // crypto modules, the SA is then added afresh, and the larval state's hard EXPIRE arrives after.
        var hold = new TaskCompletionSource();
        daemon.Post(new LoopWork(() => hold.Task));
        kernel.ExpireSa(inbound.Id, hard: true);
        await kernel.AddSaAsync(inbound);
        hold.SetResult();
        kernel.ExpireSa(inbound.Id, hard: false);
        await Eventually(() => Task.FromResult(engine.Calls.Contains($"expire {inbound.Id.Spi:x} hard=False")));

        Assert.That(engine.Calls, Does.Not.Contain($"expire {inbound.Id.Spi:x} hard=True"), "the stale hard expire reached the engine");
        Assert.That(daemon.Installed.Contains(inbound.Id), Is.True);
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
    }

    [Test]
    public async Task RacoonctlTalksToTheAdminSocket()
    {
        var (daemon, kernel, engine, socket, run) = Start();
        await using var _ = daemon;
        Assert.That(File.GetUnixFileMode(socket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var stdout = new StringWriter();
        Assert.That(RacoonctlCli.Run(["-s", socket, "show-sa", "esp"], stdout, new StringWriter()), Is.Zero);
        Assert.That(stdout.ToString(), Is.EqualTo("No SAD entries.\n"));

        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right)));
        await Eventually(async () => (await kernel.DumpSasAsync()).Count(s => s.Encryption != null) == 2);
        stdout = new StringWriter();
        Assert.That(RacoonctlCli.Run(["-s", socket, "show-sa", "esp"], stdout, new StringWriter()), Is.Zero);
        Assert.That(stdout.ToString(), Does.Contain("10.77.0.1 10.77.0.2 \n\tesp mode=transport spi=28672(0x00007000) reqid=3(0x00000003)\n"));
        Assert.That(stdout.ToString(), Does.Contain("\tE: 3des-cbc  00000000 00000000"));
        Assert.That(stdout.ToString(), Does.Contain("replay=4 flags=0x00000000 state=mature \n"));

        Assert.That(RacoonctlCli.Run(["-s", socket, "establish-sa", "isakmp", "inet", "10.77.0.1", "10.77.0.2"], new StringWriter(), new StringWriter()), Is.Zero);
        Assert.That(RacoonctlCli.Run(["-s", socket, "delete-sa", "isakmp", "inet", "10.77.0.1", "10.77.0.2"], new StringWriter(), new StringWriter()), Is.Zero);
        Assert.That(engine.Calls, Does.Contain("establish 10.77.0.2").And.Contain("delete 10.77.0.2"));

        var error = new StringWriter();
        Assert.That(RacoonctlCli.Run(["-s", socket, "establish-sa", "esp", "inet", "10.77.5.0/24", "10.77.6.0/24"], new StringWriter(), error), Is.EqualTo(1));
        Assert.That(error.ToString(), Is.EqualTo("racoonctl: kmpstat: No such file or directory\n"), "no outbound policy for that selector");

        Assert.That(RacoonctlCli.Run(["-s", socket, "flush-sa", "esp"], new StringWriter(), new StringWriter()), Is.Zero);
        Assert.That(await kernel.DumpSasAsync(), Is.Empty);
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
    }

    [Test]
    public async Task VpnConnectWithALoginReadsThePasswordAndReturnsOnceModeConfigIsDoneThenLogoutUserDeletesIt()
    {
        var (daemon, _, engine, socket, run) = Start();
        await using var _ = daemon;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var prompts = new List<string>();

        var code = await Task.Run(() => RacoonctlCli.Run(["-s", socket, "vpn-connect", "-u", "ikev1rig", "127.0.0.2"], stdout, stderr,
            readPassword: prompt =>
            {
                prompts.Add(prompt);
                return "ikev1-rig-xauth-pw-4567";
            })).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That((code, stderr.ToString()), Is.EqualTo((0, "")));
        Assert.That(prompts, Is.EqualTo(new[] { "Password: " }));
        Assert.That(stdout.ToString(), Does.StartWith("VPN connexion established\n").And.Contains("\nWelcome to the rig\n"));
        Assert.That(engine.Calls, Does.Contain("establish 127.0.0.1->127.0.0.2 as ikev1rig with ikev1-rig-xauth-pw-4567"));
        Assert.That(daemon.Phase1s.Entries.Single().Details?.XauthUser, Is.EqualTo("ikev1rig"));

        // As an XAuth server the engine would hold this login for its client.
        engine.LoggedIn.Add(("ikev1rig", new IPEndPoint(IPAddress.Parse("127.0.0.2"), 500)));
        Assert.That(RacoonctlCli.Run(["-s", socket, "logout-user", "nobody"], new StringWriter(), new StringWriter()), Is.Zero);
        Assert.That(engine.Calls, Has.None.StartsWith("logout"));
        Assert.That(RacoonctlCli.Run(["-s", socket, "logout-user", "ikev1rig"], new StringWriter(), new StringWriter()), Is.Zero);
        Assert.That(engine.Calls, Does.Contain("logout ikev1rig"));
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
    }

    [Test]
    public async Task ShowEventFollowsTheDaemonUntilItTerminates()
    {
        var (daemon, kernel, _, socket, run) = Start();
        await using var _ = daemon;
        var text = new StringWriter();
        var stdout = TextWriter.Synchronized(text);
        string Printed()
        {
            // SyncTextWriter locks itself around every write.
            lock (stdout)
                return text.ToString();
        }
        var stderr = new StringWriter();
        var racoonctl = Task.Run(() => RacoonctlCli.Run(["-s", socket, "show-event"], stdout, stderr));
        await Eventually(() => Task.FromResult(daemon.Events.Count == 1));

        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right)));
        await Eventually(() => Task.FromResult(Printed().Contains("Phase 2 established", StringComparison.Ordinal)));
        await kernel.DeleteSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x7000));
        await Eventually(() => Task.FromResult(Printed().Contains("Phase 2 deleted", StringComparison.Ordinal)));
        daemon.Post(new TerminateRequested("SIGTERM"));
        Assert.That(await run, Is.Zero);

        Assert.That(await racoonctl.WaitAsync(TimeSpan.FromSeconds(10)), Is.Zero, stderr.ToString());
        Assert.That(Printed(), Is.EqualTo(
            "Phase 2 established : 10.77.0.1[500] -> 10.77.0.2[500]\n" +
            "Phase 2 deleted : 10.77.0.1[500] -> 10.77.0.2[500]\n" +
            "Racoon terminated : unknown -> unknown\n"));
        Assert.That(daemon.Events.Count, Is.Zero);
    }

    [Test]
    public async Task EstablishSaMinusWReturnsOnceItsPhase2IsUp()
    {
        var (daemon, kernel, engine, socket, run) = Start();
        await using var _ = daemon;
        await kernel.AddPolicyAsync(OutPolicy());
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await Task.Run(() => RacoonctlCli.Run(["-s", socket, "establish-sa", "-w", "esp", "inet", "10.77.0.1", "10.77.0.2"], stdout, stderr))
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That((code, stdout.ToString(), stderr.ToString()), Is.EqualTo((0, "Phase 2 established : 10.77.0.1[500] -> 10.77.0.2[500]\n", "")));
        Assert.That(engine.Calls, Does.Contain("acquire 10.77.0.1->10.77.0.2 reqid 3"));
        await Eventually(() => Task.FromResult(daemon.Events.Count == 0));
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
    }

    [Test]
    public async Task VpnDisconnectReturnsOncePhase1IsDeletedAndFailsWithoutOne()
    {
        var (daemon, _, engine, socket, run) = Start();
        await using var _ = daemon;
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await Task.Run(() => RacoonctlCli.Run(["-s", socket, "vpn-disconnect", "10.77.0.2"], stdout, stderr)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That((code, stdout.ToString(), stderr.ToString()), Is.EqualTo((0, "Phase 1 deleted : 10.77.0.1[500] -> 10.77.0.2[500]\n", "")));
        Assert.That(engine.Calls, Does.Contain("delete 10.77.0.2"));

        stdout = new StringWriter();
        stderr = new StringWriter();
        code = await Task.Run(() => RacoonctlCli.Run(["-s", socket, "vpn-disconnect", "10.77.0.9"], stdout, stderr)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That((code, stdout.ToString(), stderr.ToString()), Is.EqualTo((1, "", "racoonctl: kmpstat: No such file or directory\n")), "no phase 1 to that peer");
        await Eventually(() => Task.FromResult(daemon.Events.Count == 0));
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
    }

    [Test]
    public async Task AnEventSubscriberThatHangsUpIsForgotten()
    {
        var (daemon, _, _, socket, run) = Start();
        await using var _ = daemon;
        using (var client = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            client.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
            client.Send(KernelIpsec.Keyd.AdminProtocol.AdminHeader.Request(KernelIpsec.Keyd.AdminProtocol.AdminCommand.ShowEvent, 0, []));
            var reply = new byte[8];
            Assert.That(client.Receive(reply), Is.EqualTo(8));
            Assert.That(reply, Is.EqualTo(new byte[] { 8, 0, 3, 0, 0, 0, 0, 0 }), "an empty reply first");
            await Eventually(() => Task.FromResult(daemon.Events.Count == 1));
        }
        await Eventually(() => Task.FromResult(daemon.Events.Count == 0));
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
    }

    [Test]
    public async Task EstablishedSasAreRecordedWhileTheyLiveAndTheRecordsGoAtACleanExit()
    {
        var (daemon, kernel, _, _, run) = Start(records: true);
        await using var _ = daemon;
        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right)));
        await Eventually(async () => (await kernel.DumpSasAsync()).Count(s => s.Encryption != null) == 2);

        var backup = KernelIpsec.Keyd.State.BackupSaFile.Read(BackupPath, TimeZoneInfo.Local, KernelIpsec.Netlink.KernelCapabilities.Xfrm);
        Assert.That(backup.Select(b => b.Entry!.Sa.Id).OrderBy(i => i.Spi), Is.EqualTo((await kernel.DumpSasAsync()).Select(s => s.Id).OrderBy(i => i.Spi)));
        Assert.That(File.ReadAllLines(OwnedPath).Count(l => l.StartsWith("esp ", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(File.GetUnixFileMode(BackupPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        daemon.Post(new TerminateRequested("SIGTERM"));
        Assert.That(await run, Is.Zero);
        Assert.That((File.Exists(BackupPath), File.Exists(OwnedPath)), Is.EqualTo((false, false)), "racoon removes its backupsa file on SIGTERM");
    }

    [Test]
    public async Task AfterACrashTheNextStartRemovesTheSasOfThePreviousRunOnly()
    {
        var kernel = new InMemoryKernel();
        var ours = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x7000)
        {
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), new byte[16]),
        };
        var manual = ours with { Id = new SaId(Left, Right, IpsecProtocol.Esp, 0x1234) };
        await kernel.AddSaAsync(ours);
        await kernel.AddSaAsync(manual);
        // What a run killed with SIGKILL leaves: its list, naming one SA still in the kernel and one long gone.
        KernelIpsec.Keyd.State.OwnedSaFile.Write(OwnedPath, [ours.Id, new SaId(Right, Left, IpsecProtocol.Esp, 0x4000)]);

        var (daemon, _, _, _, run) = Start(records: true, kernel: kernel);
        await using var _ = daemon;

        Assert.That((await kernel.DumpSasAsync()).Select(s => s.Id), Is.EqualTo(new[] { manual.Id }), "racoon would have flushed the manual SA too");
        Assert.That(File.ReadAllLines(OwnedPath).Where(l => !l.StartsWith('#')), Is.Empty);
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
        Assert.That((await kernel.DumpSasAsync()).Select(s => s.Id), Is.EqualTo(new[] { manual.Id }));
    }

    [Test]
    public async Task ASecondRacoonLeavesTheSasOfARunningOneAlone()
    {
        var kernel = new InMemoryKernel();
        var theirs = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x7000)
        {
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), new byte[16]),
        };
        await kernel.AddSaAsync(theirs);
        KernelIpsec.Keyd.State.OwnedSaFile.Write(OwnedPath, [theirs.Id]);
        using var running = System.Diagnostics.Process.Start("bash", ["-c", "exec -a racoon sleep 60"]);
        File.WriteAllText(Path.Combine(dir.FullName, "racoon.pid"), $"{running.Id}\n");
        try
        {
            var (daemon, _, _, _, run) = Start(records: true, kernel: kernel);
            await using var _ = daemon;

            Assert.That((await kernel.DumpSasAsync()).Select(s => s.Id), Is.EqualTo(new[] { theirs.Id }), "the running racoon's SA stays");
            daemon.Post(new TerminateRequested("SIGTERM"));
            await run;
        }
        finally
        {
            running.Kill();
        }
    }

    [Test]
    public async Task MinusBInstallsTheSavedSasThatHaveTimeLeft()
    {
        var now = DateTimeOffset.UtcNow;
        SecurityAssociation Saved(uint spi) => new(Left, Right, IpsecProtocol.Esp, spi)
        {
            Mode = IpsecMode.Transport,
            ReqId = 3,
            ReplayWindow = 4,
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), Enumerable.Range(0, 16).Select(i => (byte)i).ToArray()),
            Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha1"), new byte[20]),
            Lifetime = new Lifetime(null, new LifetimeLimits(AddSeconds: 600)),
        };
        KernelIpsec.Keyd.State.BackupSaFile.Write(BackupPath,
            [new(now.AddSeconds(-100), Saved(0x5001)), new(now.AddSeconds(-700), Saved(0x5002))], TimeZoneInfo.Local, 1);

        var (daemon, kernel, _, _, run) = Start(records: true, restore: true);
        await using var _ = daemon;

        var restored = (await kernel.DumpSasAsync()).Single();
        Assert.That(restored.Id.Spi, Is.EqualTo(0x5001u), "0x5002's 600 s ran out 100 s ago");
        Assert.That(restored.Encryption, Is.EqualTo(Saved(0x5001).Encryption));
        Assert.That(restored.Lifetime.Hard.AddSeconds, Is.InRange(495ul, 500ul));
        Assert.That(daemon.Installed.Contains(restored.Id), Is.True, "restored SAs are the daemon's: removed at exit");
        Assert.That(KernelIpsec.Keyd.State.BackupSaFile.Read(BackupPath, TimeZoneInfo.Local, KernelIpsec.Netlink.KernelCapabilities.Xfrm).Single().Entry!.Sa.Id, Is.EqualTo(restored.Id));
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
        Assert.That(await kernel.DumpSasAsync(), Is.Empty);
    }

    [Test]
    public async Task MinusBRestoresANatTraversalSaWithItsEncapsulation()
    {
        var now = DateTimeOffset.UtcNow;
        var encapsulation = new NatTraversal(EncapsulationType.EspInUdp, 4500, 31000, IPAddress.Parse("192.168.1.20"));
        var saved = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x5003)
        {
            Mode = IpsecMode.Tunnel,
            ReqId = 3,
            ReplayWindow = 4,
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), new byte[16]),
            Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha1"), new byte[20]),
            Lifetime = new Lifetime(null, new LifetimeLimits(AddSeconds: 600)),
            NatTraversal = encapsulation,
        };
        KernelIpsec.Keyd.State.BackupSaFile.Write(BackupPath, [new(now.AddSeconds(-100), saved)], TimeZoneInfo.Local, 1);

        var (daemon, kernel, _, _, _) = Start(records: true, restore: true);
        await using var _ = daemon;

        var restored = (await kernel.DumpSasAsync()).Single();
        Assert.That((restored.Id, restored.NatTraversal), Is.EqualTo((saved.Id, encapsulation)));
        Assert.That(File.ReadAllLines(BackupPath)[1], Is.EqualTo("#nat_t 2 4500 31000 192.168.1.20"), "saved again as it came back");
    }

    [Test]
    public async Task MinusBRefusesABackupFileOthersCanRead()
    {
        KernelIpsec.Keyd.State.BackupSaFile.Write(BackupPath, [], TimeZoneInfo.Local, 1);
        File.SetUnixFileMode(BackupPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var config = new RacoonConfig { Paths = new PathsConfig { BackupSa = BackupPath }, Listen = new ListenConfig { AdminSocket = new AdminSocketConfig { Disabled = true } } };
        await using var daemon = new KeyDaemon(config, new InMemoryKernel(), _ => new ScriptedEngine(), new KeyDaemonSettings
        {
            LoadConfig = () => config,
            LocalAddresses = () => [],
            RestoreBackupSa = true,
        }, NullLoggerFactory.Instance);

        Assert.That(async () => await daemon.RunAsync(), Throws.TypeOf<IOException>().With.Message.Contains("has weak file permission 0604"));
    }

    [Test]
    public async Task ReloadAppliesAGoodConfigAndKeepsTheOldOneOnErrors()
    {
        var broken = false;
        var socketPath = Path.Combine(dir.FullName, "racoon.sock");
        var (daemon, kernel, engine, socket, run) = Start(() => broken
            ? throw new InvalidDataException("racoon.conf:3:1: error: syntax")
            : new RacoonConfig { LogLevel = RacoonLogLevel.Debug, Listen = new ListenConfig { AdminSocket = new AdminSocketConfig { Path = socketPath } } });
        await using var _ = daemon;
        daemon.Post(new ReloadRequested());
        await Eventually(() => Task.FromResult(engine.Calls.Contains("reconfigure")));
        Assert.That(daemon.Config.LogLevel, Is.EqualTo(RacoonLogLevel.Debug));

        broken = true;
        Assert.That(RacoonctlCli.Run(["-s", socket, "reload-config"], new StringWriter(), new StringWriter()), Is.Zero);
        await Task.Delay(300);
        Assert.That(engine.Calls.Count(c => c == "reconfigure"), Is.EqualTo(1));
        Assert.That(daemon.Config.LogLevel, Is.EqualTo(RacoonLogLevel.Debug));
        daemon.Post(new TerminateRequested("SIGTERM"));
        await run;
    }

    [Test]
    public async Task AKernelNatMappingChangeEndsWithBothSasAtThePeersNewPort()
    {
        var (daemon, kernel, engine, _, _) = Start();
        await using var _ = daemon;
        engine.Encapsulation = new UdpEncapsulation(4500, 4500);
        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right), 17, 1234, 53));
        await Eventually(async () => (await kernel.DumpSasAsync()).Count(s => s.Encryption != null) == 2);
        var inbound = (await kernel.DumpSasAsync()).Single(s => s.Id.Destination.Equals(Left)).Id;

        Assert.That(kernel.ChangeNatMapping(inbound, new IPEndPoint(Right, 31000)), Is.True);

        await Eventually(async () => (await kernel.GetSaAsync(inbound))!.NatTraversal!.SourcePort == 31000);
        var outbound = await kernel.GetSaAsync(new SaId(Left, Right, IpsecProtocol.Esp, 0x7000));
        Assert.That((outbound!.NatTraversal!.SourcePort, outbound.NatTraversal.DestinationPort), Is.EqualTo((4500, 31000)));
        Assert.That(engine.Calls, Does.Contain($"mapping Esp {inbound.Spi:x} at {Left}: {Right}:4500 -> {Right}:31000"));
    }

    [Test]
    public async Task APfKeyMappingWithoutDestinationFindsTheSaAmongOursAndOthersAreIgnored()
    {
        var (daemon, kernel, engine, _, _) = Start();
        await using var _ = daemon;
        engine.Encapsulation = new UdpEncapsulation(4500, 4500);
        await kernel.AddPolicyAsync(OutPolicy());
        kernel.SendPacket(new Selector(AddressPrefix.Host(Left), AddressPrefix.Host(Right), 17, 1234, 53));
        await Eventually(async () => (await kernel.DumpSasAsync()).Count(s => s.Encryption != null) == 2);
        var inbound = (await kernel.DumpSasAsync()).Single(s => s.Id.Destination.Equals(Left)).Id;

        // As SADB_X_NAT_T_NEW_MAPPING says it: SPI, the peer's old and new endpoints, no destination. Then one for an SA not ours.
        daemon.Post(new KernelEventArrived(new KernelIpsec.Netlink.Events.NatMappingEvent(IpsecProtocol.Esp, 0x9999, null, 0, new IPEndPoint(Right, 4500), new IPEndPoint(Right, 1))));
        var moved = new KernelIpsec.Netlink.Events.NatMappingEvent(IpsecProtocol.Esp, inbound.Spi, null, 0, new IPEndPoint(Right, 4500), new IPEndPoint(Right, 32000));
        daemon.Post(new KernelEventArrived(moved));
        daemon.Post(new KernelEventArrived(moved)); // the kernel reports each packet until the SA is updated

        await Eventually(async () => (await kernel.GetSaAsync(inbound))!.NatTraversal!.SourcePort == 32000);
        Assert.That(await daemon.OnLoopAsync(() => Task.FromResult(true)), Is.True, "both reports handled");
        Assert.That(engine.Calls.Where(c => c.StartsWith("mapping", StringComparison.Ordinal)), Is.EqualTo(new[] { $"mapping Esp {inbound.Spi:x} at {Left}: {Right}:4500 -> {Right}:32000" }));
    }
}
