// Cost per event of the IKE engine with N established ISAKMP SAs and N installed SA pairs (N = 100 and 10,000),
// driven in memory: one engine under test ("left", initiator to N peers) and one responder engine answering as
// all N peers. Prints one markdown table row per N. Built with OLD_ENGINE against the pre-recut engine's API.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.DiffieHellman;
using KernelIpsec.Ike.Engine;
#if !OLD_ENGINE
using KernelIpsec.Ike.Sa;
#endif
using KernelIpsec.Ike.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;
using EngineType = KernelIpsec.Ike.Engine.Engine;

var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [100, 10_000];
Scale.Run(50, quiet: true); // warm-up: JIT and caches, not reported
foreach (var n in sizes)
{
    Scale.Run(n, quiet: false);
}

internal static class Scale
{
    private static readonly IPAddress LeftAddress = IPAddress.Parse("10.0.0.1");

    public static void Run(int n, bool quiet)
    {
        var clock = new BenchClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var groups = DhGroups.CreateDefault();
        using var left = new Side(Config(dpdDelay: TimeSpan.Zero), groups, clock);
        using var right = new Side(Config(dpdDelay: TimeSpan.FromSeconds(60)), groups, clock);
        var setup = Stopwatch.StartNew();
        for (var k = 1; k <= n; k++)
        {
            var peer = Peer(k);
            Pump(left, right, peer, left.Acquire(new AcquireRequest((uint)k, LeftAddress, peer, Policy(LeftAddress, peer, 0))));
            clock.Advance(TimeSpan.FromMilliseconds(1)); // staggered deadlines, as SAs made over time have
        }
        setup.Stop();
        if (left.Engine.Phase1Sas.Count(s => s.Established) != n || left.Engine.IpsecSas.Count != n)
        {
            throw new InvalidOperationException($"setup made {left.Engine.Phase1Sas.Count} ISAKMP SAs and {left.Engine.IpsecSas.Count} SA pairs, expected {n}");
        }
        var m = Math.Min(1000, n / 2);

        // Datagram for one SA: the responder's DPD probes (R-U-THERE), each answered by the engine under test. Four
        // rounds (the responder probes again every dpd_retry while unanswered) give small N enough samples.
        clock.Advance(TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(n));
        var datagramTimes = new List<double>();
        var datagrams = 0;
        for (var round = 0; round < 4; round++)
        {
            var probes = right.Timer(clock.GetUtcNow()).OfType<SendDatagram>().ToList();
            var count = Math.Min(1000, probes.Count);
            var chosen = Enumerable.Range(0, count).Select(i => probes[i * probes.Count / count]).ToList();
            var sent = left.Sent;
            Settle();
            foreach (var p in chosen)
            {
                datagramTimes.Add(Time(() => left.Datagram(new IPEndPoint(LeftAddress, 500), p.Local, p.Datagram)));
            }
            datagrams += count;
            if (left.Sent - sent != count)
            {
                throw new InvalidOperationException($"the engine answered {left.Sent - sent} of {count} R-U-THERE probes");
            }
            clock.Advance(TimeSpan.FromSeconds(5));
        }
        var datagramUs = Median(datagramTimes);

        // Timer tick at the next deadline: one ISAKMP SA reaches its lifetime (DELETE sent, SA removed).
        var tickTimes = new List<double>();
        Settle();
        for (var i = 0; i < m; i++)
        {
            var due = left.Armed ?? throw new InvalidOperationException("no timer armed");
            tickTimes.Add(Time(() => left.Timer(due)));
        }
        var tickUs = Median(tickTimes);
        if (left.Engine.Phase1Sas.Count != n - m)
        {
            throw new InvalidOperationException($"{m} ticks left {left.Engine.Phase1Sas.Count} ISAKMP SAs of {n}");
        }

        // ACQUIRE for a new policy towards an established peer: a quick mode starts (SPI requested).
        left.SpiAnswering = false;
        var before = left.SpiRequests;
        var acquireTimes = new List<double>();
        Settle();
        for (var i = 0; i < m; i++)
        {
            var peer = Peer(n - i);
            var acquire = new AcquireRequest((uint)(n + i), LeftAddress, peer, Policy(LeftAddress, peer, (ushort)(1000 + i)));
            acquireTimes.Add(Time(() => left.Acquire(acquire)));
        }
        var acquireUs = Median(acquireTimes);
        if (left.SpiRequests - before != m)
        {
            throw new InvalidOperationException($"{m} ACQUIREs started {left.SpiRequests - before} quick modes");
        }
        if (!quiet)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n:N0} | {datagramUs:F1} | {acquireUs:F1} | {tickUs:F1} | {datagrams} / {m} / {m} | {setup.Elapsed.TotalSeconds:F1} |"));
        }
    }

    /// <summary>Microseconds one event took.</summary>
    private static double Time(Action run)
    {
        var start = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    /// <summary>The median event: robust against a garbage collection or a preemption on a shared machine.</summary>
    private static double Median(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Carries datagrams between the two engines (SPIs answered at once) until neither has anything to send.</summary>
    private static void Pump(Side left, Side right, IPAddress peer, IReadOnlyList<EngineIntent> first)
    {
        var toRight = new Queue<SendDatagram>(first.OfType<SendDatagram>());
        var toLeft = new Queue<SendDatagram>();
        while (toRight.Count > 0 || toLeft.Count > 0)
        {
            while (toRight.TryDequeue(out var d))
            {
                foreach (var s in right.Datagram(new IPEndPoint(peer, 500), new IPEndPoint(LeftAddress, 500), d.Datagram).OfType<SendDatagram>())
                {
                    toLeft.Enqueue(s);
                }
            }
            while (toLeft.TryDequeue(out var d))
            {
                foreach (var s in left.Datagram(new IPEndPoint(LeftAddress, 500), new IPEndPoint(peer, 500), d.Datagram).OfType<SendDatagram>())
                {
                    toRight.Enqueue(s);
                }
            }
        }
    }

    private static IPAddress Peer(int k) => new([10, (byte)(128 + (k >> 16)), (byte)(k >> 8), (byte)k]);

    private static IpsecPolicy Policy(IPAddress local, IPAddress remote, ushort port) =>
        new(TrafficSelector.Host(local, port == 0 ? (byte)0 : (byte)17, port), TrafficSelector.Host(remote, port == 0 ? (byte)0 : (byte)17, port),
            [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0)], 1);

    private static RacoonConfig Config(TimeSpan dpdDelay) => new()
    {
        Remotes =
        [
            new RemoteConfig
            {
                Name = RemoteConfig.NameFor(null, 500),
                ExchangeModes = [ExchangeMode.Main],
                MyIdentifier = IdentifierConfig.OwnAddress,
                Lifetime = TimeSpan.FromHours(8),
                DpdDelay = dpdDelay,
                InitialContact = false,
                Proposals =
                [
                    new Phase1Proposal
                    {
                        Encryption = new(EncryptionAlgorithm.AesCbc, 128), Hash = HashAlgorithm.Sha1,
                        AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Ecp256,
                    },
                ],
            },
        ],
        Sainfos =
        [
            new SainfoConfig
            {
                Lifetime = TimeSpan.FromHours(1),
                EncryptionAlgorithms = [new(Phase2Encryption.Aes, 128)],
                AuthenticationAlgorithms = [Phase2Authentication.HmacSha1],
                CompressionAlgorithms = [CompressionAlgorithm.Deflate],
            },
        ],
    };
}

/// <summary>One engine and the "daemon" around it: SPIs from a counter, the last armed timer, datagrams sent.</summary>
internal sealed class Side : IDisposable
{
    private readonly BenchClock clock;
    private uint nextSpi = 0x10000;

    public Side(RacoonConfig config, DhGroups groups, BenchClock clock)
    {
        this.clock = clock;
#if OLD_ENGINE
        Engine = new EngineType(config, new AnyKey(), new NoCertificates(), new AnyPolicy(), groups, new SystemIkeRandom(), clock, NullLogger.Instance);
#else
        Engine = new EngineType(config, new AnyKey(), new NoCertificates(), new AnyPolicy(), groups, new SystemIkeRandom(), NullLogger.Instance);
#endif
    }

    public EngineType Engine { get; }
    public DateTimeOffset? Armed { get; private set; }
    public int Sent { get; private set; }
    public int SpiRequests { get; private set; }

#if OLD_ENGINE
    public IReadOnlyList<EngineIntent> Datagram(IPEndPoint local, IPEndPoint remote, byte[] bytes) => Apply(Engine.HandleDatagram(local, remote, bytes));
    public IReadOnlyList<EngineIntent> Acquire(AcquireRequest acquire) => Apply(Engine.HandleAcquire(acquire));
    private IReadOnlyList<EngineIntent> Spi(SpiAllocation allocation) => Engine.HandleSpiAllocated(allocation);
#else
    public IReadOnlyList<EngineIntent> Datagram(IPEndPoint local, IPEndPoint remote, byte[] bytes) => Apply(Engine.HandleDatagram(local, remote, bytes, clock.GetUtcNow()));
    public IReadOnlyList<EngineIntent> Acquire(AcquireRequest acquire) => Apply(Engine.HandleAcquire(acquire, clock.GetUtcNow()));
    private IReadOnlyList<EngineIntent> Spi(SpiAllocation allocation) => Engine.HandleSpiAllocated(allocation, clock.GetUtcNow());
#endif

    public IReadOnlyList<EngineIntent> Timer(DateTimeOffset now)
    {
        if (now > clock.GetUtcNow())
        {
            clock.Advance(now - clock.GetUtcNow());
        }
        Armed = null;
        return Apply(Engine.HandleTimer(now));
    }

    /// <summary>Notes the timer and what was sent; answers SPI requests at once (their answers' sends are returned too).</summary>
    private List<EngineIntent> Apply(IReadOnlyList<EngineIntent> intents)
    {
        var all = new List<EngineIntent>();
        foreach (var intent in intents)
        {
            all.Add(intent);
            switch (intent)
            {
                case ArmTimer t:
                    Armed = t.Due;
                    break;
                case SendDatagram:
                    Sent++;
                    break;
                case AllocateSpi a:
                    SpiRequests++;
                    if (SpiAnswering)
                    {
                        all.AddRange(Apply(Spi(new SpiAllocation(a.RequestId, nextSpi++))));
                    }
                    break;
            }
        }
        return all;
    }

    /// <summary>During setup the kernel answers SPI requests; the measured ACQUIREs only start their quick modes.</summary>
    public bool SpiAnswering { get; set; } = true;

    public void Dispose() => Engine.Dispose();
}

internal sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}

internal sealed class AnyKey : IPreSharedKeyStore
{
    private static readonly byte[] Key = "engine-scale-pre-shared-key"u8.ToArray();

    public byte[]? Find(string identity) => (byte[])Key.Clone();
}

internal sealed class NoCertificates : ICertificateVerifier
{
    public System.Security.Cryptography.X509Certificates.X509Certificate2? OwnCertificate(RemoteConfig remote) => null;

    public string? Verify(RemoteConfig remote, System.Security.Cryptography.X509Certificates.X509Certificate2 peer,
        IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> extra) => "no certificates in this benchmark";
}

/// <summary>The responder's SPD: an ESP transport policy for whatever traffic the initiator proposes.</summary>
internal sealed class AnyPolicy : IPolicyLookup
{
    public IpsecPolicy? FindOutbound(TrafficSelector local, TrafficSelector remote) =>
        new(local, remote, [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0)], 1);
}
