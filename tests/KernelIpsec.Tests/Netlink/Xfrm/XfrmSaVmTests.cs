using System.Globalization;
using System.Net;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>
/// SAs on Debian's kernel (ESP, AH, IPComp present). Oracle: the SA reads back equal, and `ip xfrm state` shows
/// it exactly as it shows the same SA installed by `ip xfrm state add` in a second namespace.
/// </summary>
[TestFixture, Category(Tier.Vm)]
public class XfrmSaVmTests
{
    private TestNetns ns = null!;

    [SetUp]
    public void SetUp()
    {
        Requirements.Vm();
        Requirements.Root();
        ns = TestNetns.Create();
    }

    [TearDown]
    public void TearDown() => ns?.Dispose();

    private T WithKernel<T>(Func<XfrmKernel, Task<T>> body) => ns.Run(() =>
    {
        var kernel = XfrmKernel.Open();
        try
        {
            return body(kernel).GetAwaiter().GetResult();
        }
        finally
        {
            kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    });

    private static string IpXfrmState(TestNetns n) =>
        string.Join("\n", n.Exec("ip xfrm state").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static byte[] Key(IpsecAlgorithm a, byte seed)
    {
        var lengths = a.KeyLengths!;
        var bits = lengths.All.OrderBy(b => Math.Abs(b - 128 - a.SaltBits)).First();
        return Enumerable.Range(0, bits / 8).Select(i => (byte)(seed + i)).ToArray();
    }

    private static string Hex(ReadOnlyMemory<byte> key) => key.Length == 0 ? "\"\"" : "0x" + Convert.ToHexStringLower(key.Span);

    /// <summary>The `ip xfrm state add` arguments for the same SA.</summary>
    private static string IpArguments(SecurityAssociation sa)
    {
        var a = new List<string>
        {
            $"src {sa.Id.Source} dst {sa.Id.Destination} proto {(sa.Id.Protocol == IpsecProtocol.IpComp ? "comp" : sa.Id.Protocol.ToString().ToLowerInvariant())}",
            $"spi 0x{sa.Id.Spi:x} reqid {sa.ReqId} mode {sa.Mode.ToString().ToLowerInvariant()} replay-window {sa.ReplayWindow}",
        };
        if (sa.Encryption is { } e)
            a.Add($"enc {e.Algorithm.KernelName} {Hex(e.Key)}");
        if (sa.Authentication is { } au)
            a.Add($"auth-trunc {au.Algorithm.KernelName} {Hex(au.Key)} {au.IcvBits}");
        if (sa.Aead is { } ae)
            a.Add($"aead {ae.Algorithm.KernelName} {Hex(ae.Key)} {ae.IcvBits}");
        if (sa.Compression is { } c)
            a.Add($"comp {c.Algorithm.KernelName}");
        var l = sa.Lifetime;
        foreach (var (name, value) in new[] { ("time-soft", l.Soft.AddSeconds), ("time-hard", l.Hard.AddSeconds), ("byte-soft", l.Soft.Bytes), ("byte-hard", l.Hard.Bytes), ("packet-soft", l.Soft.Packets), ("packet-hard", l.Hard.Packets) })
        {
            if (value != 0)
                a.Add($"limit {name} {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return string.Join(' ', a);
    }

    private static IEnumerable<TestCaseData> Algorithms() =>
        AlgorithmRegistry.All.Select(a => new TestCaseData(a.Kind, a.Name).SetName($"{a.Kind} {a.Name}"));

    private static SecurityAssociation Sa(AlgorithmKind kind, string name, IPAddress src, IPAddress dst, uint spi, IpsecMode mode)
    {
        var alg = AlgorithmRegistry.Get(kind, name);
        var aes = AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc");
        var sha1 = AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha1");
        var sa = new SecurityAssociation(src, dst, kind switch
        {
            AlgorithmKind.Compression => IpsecProtocol.IpComp,
            AlgorithmKind.Authentication when name != "null" => IpsecProtocol.Ah,
            _ => IpsecProtocol.Esp,
        }, spi)
        { Mode = mode, ReqId = spi & 0xff };
        return kind switch
        {
            AlgorithmKind.Encryption => sa with { Encryption = new SaAlgorithm(alg, Key(alg, 1)), Authentication = new SaAlgorithm(sha1, Key(sha1, 2)) },
            AlgorithmKind.Authentication when name == "null" => sa with { Encryption = new SaAlgorithm(aes, Key(aes, 3)), Authentication = SaAlgorithm.WithoutKey(alg) },
            AlgorithmKind.Authentication => sa with { Authentication = new SaAlgorithm(alg, Key(alg, 4)) },
            AlgorithmKind.Aead => sa with { Aead = new SaAlgorithm(alg, Key(alg, 5)) },
            _ => sa with { Compression = SaAlgorithm.WithoutKey(alg) },
        };
    }

    [TestCaseSource(nameof(Algorithms))]
    public void EveryAlgorithmInTransportV4AndTunnelV6(AlgorithmKind kind, string name)
    {
        var sas = new[]
        {
            Sa(kind, name, IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), 0x1001, IpsecMode.Transport),
            Sa(kind, name, IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"), 0x1002, IpsecMode.Tunnel),
        };
        KernelIpsecException? refused = null;
        var dump = WithKernel(async k =>
        {
            try
            {
                foreach (var sa in sas)
                    await k.AddSaAsync(sa);
            }
            catch (KernelIpsecException e)
            {
                refused = e;
            }

            return await k.DumpSasAsync();
        });
        using var reference = TestNetns.Create("kir");
        if (refused is not null)
        {
            var ip = reference.TryExec("ip xfrm state add " + IpArguments(sas[0]));
            Assert.That(ip.ExitCode, Is.Not.Zero, $"we were refused ({refused.Message}) but ip xfrm was not");
            Assert.Ignore($"this kernel has no {name}: {refused.Message} (ip xfrm: {ip.StdErr.Trim()})");
        }

        Assert.That(dump.Select(s => s with { Current = null }).Reverse(), Is.EqualTo(sas));
        foreach (var sa in sas)
            reference.Exec("ip xfrm state add " + IpArguments(sa));
        Assert.That(IpXfrmState(ns), Is.EqualTo(IpXfrmState(reference)));
        if (kind == AlgorithmKind.Compression)
            Assert.That(IpXfrmState(ns), Does.Contain("proto 41"), "the kernel's IPv6-in-IPv6 helper state exists but is not dumped as an IPsec SA");
    }

    [Test]
    public void LifetimesReplayWindowFlagsAndNatTraversalReadBackEqual()
    {
        var sa = Sa(AlgorithmKind.Encryption, "aes-cbc", IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), 0x2001, IpsecMode.Tunnel) with
        {
            ReplayWindow = 32,
            Flags = SaFlags.NoEcn | SaFlags.DecapDscp,
            Lifetime = new Lifetime(new LifetimeLimits(1_000_000, 1000, 2880, 600), new LifetimeLimits(2_000_000, 2000, 3600, 1200)),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4501),
            Selector = new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16"), 17, 0, 53),
        };
        var got = WithKernel(async k =>
        {
            await k.AddSaAsync(sa);
            return await k.GetSaAsync(sa.Id);
        });
        Assert.That(got! with { Current = null }, Is.EqualTo(sa));
        Assert.That(got.Current!.Added, Is.Not.Null);
        var shown = IpXfrmState(ns);
        Assert.That(shown, Does.Contain("replay-window 32 flag noecn decap-dscp"));
        Assert.That(shown, Does.Contain("encap type espinudp sport 4500 dport 4501 addr 0.0.0.0"));
        Assert.That(shown, Does.Contain("sel src 10.1.0.0/16 dst 10.2.0.0/16 proto udp dport 53"));
    }

    [Test]
    public void AllocatedSpiBecomesAFullSaThroughUpdate()
    {
        // A larval SA lives xfrm_acq_expires (30 s); the emulated VM can take that long to JIT the next step.
        ns.Exec("sysctl -qw net.core.xfrm_acq_expires=3600");
        var (spi, got, duplicate) = WithKernel(async k =>
        {
            var s = await k.AllocateSpiAsync(new SpiRequest(IPAddress.Parse("10.77.0.2"), IPAddress.Parse("10.77.0.1"), IpsecProtocol.Esp, ReqId: 7));
            var full = Sa(AlgorithmKind.Encryption, "aes-cbc", IPAddress.Parse("10.77.0.2"), IPAddress.Parse("10.77.0.1"), s, IpsecMode.Transport) with { ReqId = 7 };
            await k.UpdateSaAsync(full);
            KernelIpsecException? e = null;
            try
            {
                await k.AddSaAsync(full);
            }
            catch (KernelIpsecException ex)
            {
                e = ex;
            }

            return (s, await k.GetSaAsync(full.Id), e);
        });
        Assert.That(got?.Encryption?.Algorithm.Name, Is.EqualTo("aes-cbc"));
        Assert.That(duplicate?.Message, Is.EqualTo($"add SA esp spi 0x{spi:x} 10.77.0.2->10.77.0.1: File exists"));
        Assert.That(IpXfrmState(ns), Does.Contain($"proto esp spi 0x{spi:x8} reqid 7 mode transport"));
    }

    [Test]
    public void DeleteAndPerProtocolFlush()
    {
        var left = WithKernel(async k =>
        {
            var esp = Sa(AlgorithmKind.Encryption, "aes-cbc", IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), 0x3001, IpsecMode.Transport);
            var esp2 = esp with { Id = new SaId(esp.Id.Source, esp.Id.Destination, IpsecProtocol.Esp, 0x3002) };
            var ah = Sa(AlgorithmKind.Authentication, "hmac-sha256", IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), 0x3003, IpsecMode.Transport);
            await k.AddSaAsync(esp);
            await k.AddSaAsync(esp2);
            await k.AddSaAsync(ah);
            await k.DeleteSaAsync(esp.Id);
            await k.FlushSasAsync(IpsecProtocol.Esp);
            return await k.DumpSasAsync();
        });
        Assert.That(left.Select(s => s.Id.ToString()), Is.EqualTo(new[] { "ah spi 0x3003 10.77.0.1->10.77.0.2" }));
    }

    [Test]
    public void ShortLifetimeRaisesSoftThenHardExpire()
    {
        var sa = Sa(AlgorithmKind.Encryption, "aes-cbc", IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"), 0x4001, IpsecMode.Transport) with
        {
            Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 1), new LifetimeLimits(AddSeconds: 3)),
        };
        var (kernel, subscription) = ns.Run(() =>
        {
            var k = XfrmKernel.Open();
            return (k, k.SubscribeEvents());
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var expiries = Task.Run(async () =>
        {
            var seen = new List<SaExpiredEvent>();
            await foreach (var e in subscription.WithCancellation(cancel.Token))
            {
                if (e is SaExpiredEvent x)
                    seen.Add(x);
                if (seen.Count == 2)
                    break;
            }

            return seen;
        });
        kernel.AddSaAsync(sa).GetAwaiter().GetResult();
        var got = expiries.GetAwaiter().GetResult();
        Assert.That(got.Select(e => (e.Sa.Id, e.Hard)), Is.EqualTo(new[] { (sa.Id, false), (sa.Id, true) }));
        Assert.That(kernel.GetSaAsync(sa.Id).GetAwaiter().GetResult(), Is.Null, "a hard expiry removes the SA");
        subscription.DisposeAsync().AsTask().GetAwaiter().GetResult();
        kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
