using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Backends;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

/// <summary>
/// One behaviour suite over both kernel backends (XFRM and PF_KEY) on Debian's kernel, so a feature cannot exist on
/// one only. Where Linux's PF_KEY itself differs (the ICV it gives HMAC-SHA-256, no AEAD), the test says so.
/// </summary>
[TestFixture("xfrm")]
[TestFixture("pfkey")]
[Category(Tier.Vm)]
public class KernelBackendBehaviourVmTests
{
    private static readonly IPAddress Left = IPAddress.Parse(NetnsPair.LeftAddress);
    private static readonly IPAddress Right = IPAddress.Parse(NetnsPair.RightAddress);
    private static readonly IPAddress Left6 = IPAddress.Parse(NetnsPair.LeftAddress6);
    private static readonly IPAddress Right6 = IPAddress.Parse(NetnsPair.RightAddress6);

    private readonly string backend;
    private TestNetns ns = null!;
    private IKernelIpsec kernel = null!;

    public KernelBackendBehaviourVmTests(string backend) => this.backend = backend;

    private bool PfKey => backend == "pfkey";

    [SetUp]
    public void SetUp()
    {
        Requirements.Vm();
        ns = TestNetns.Create("kbb");
        kernel = ns.Run(() => KernelIpsecFactory.Create(backend));
    }

    [TearDown]
    public async Task TearDown()
    {
        if (kernel is not null)
            await kernel.DisposeAsync();
        ns?.Dispose();
    }

    internal static SaAlgorithm Keyed(IpsecAlgorithm algorithm, int? icvBits = null)
    {
        var bits = algorithm.KeyLengths!.All.Last();
        var key = Enumerable.Range(0, bits / 8).Select(i => (byte)(0x30 + i)).ToArray();
        return new SaAlgorithm(algorithm, key, icvBits);
    }

    /// <summary>Every SA the registry can describe that Debian's kernel implements, one per algorithm, ESP and AH.</summary>
    internal static IEnumerable<SecurityAssociation> SasOfEveryAlgorithm(IPAddress source, IPAddress destination, bool includeAead)
    {
        uint spi = 0x1000;
        var aes = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"));
        var sha1 = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha1"));
        foreach (var cipher in AlgorithmRegistry.All.Where(a => a.Kind == AlgorithmKind.Encryption))
        {
            yield return new SecurityAssociation(source, destination, IpsecProtocol.Esp, ++spi)
            {
                Mode = IpsecMode.Transport,
                Encryption = cipher.KeyLengths!.Max == 0 ? SaAlgorithm.WithoutKey(cipher) : Keyed(cipher),
                Authentication = sha1,
            };
        }

        foreach (var integrity in AlgorithmRegistry.All.Where(a => a.Kind == AlgorithmKind.Authentication))
        {
            var auth = integrity.KeyLengths!.Max == 0 ? SaAlgorithm.WithoutKey(integrity) : Keyed(integrity);
            yield return new SecurityAssociation(source, destination, IpsecProtocol.Esp, ++spi) { Mode = IpsecMode.Tunnel, ReqId = 4, Encryption = aes, Authentication = auth };
            if (integrity.KeyLengths!.Max != 0)
                yield return new SecurityAssociation(source, destination, IpsecProtocol.Ah, ++spi) { Mode = IpsecMode.Transport, Authentication = auth };
        }

        if (includeAead)
        {
            foreach (var aead in AlgorithmRegistry.All.Where(a => a.Kind == AlgorithmKind.Aead))
                yield return new SecurityAssociation(source, destination, IpsecProtocol.Esp, ++spi) { Mode = IpsecMode.Transport, Aead = Keyed(aead) };
        }

        yield return new SecurityAssociation(source, destination, IpsecProtocol.IpComp, ++spi & 0xffff)
        {
            Mode = IpsecMode.Transport,
            Compression = SaAlgorithm.WithoutKey(AlgorithmRegistry.Get(AlgorithmKind.Compression, "deflate")),
        };
    }

    /// <summary>What the kernel keeps of <paramref name="sa"/>: mode any is transport; PF_KEY gives integrity its own ICV length.</summary>
    private SecurityAssociation Installed(SecurityAssociation sa) => sa with
    {
        Mode = sa.Mode == IpsecMode.Any ? IpsecMode.Transport : sa.Mode,
        Authentication = sa.Authentication is { } a && PfKey ? new SaAlgorithm(a.Algorithm, a.Key.Span, a.Algorithm.PfKeyIcvBits) : sa.Authentication,
        Current = null,
    };

    [Test]
    public async Task SasOfEveryAlgorithmReadBackAsInstalled([Values] bool ipv6)
    {
        var sas = SasOfEveryAlgorithm(ipv6 ? Left6 : Left, ipv6 ? Right6 : Right, includeAead: false).ToList();
        foreach (var sa in sas)
            await kernel.AddSaAsync(sa);
        foreach (var sa in sas)
        {
            var read = await kernel.GetSaAsync(sa.Id);
            Assert.That(read! with { Current = null }, Is.EqualTo(Installed(sa)), sa.ToString());
        }

        var dump = await kernel.DumpSasAsync();
        Assert.That(dump.Select(s => s.Id), Is.EquivalentTo(sas.Select(s => s.Id)));
        Assert.That(dump[0].Id, Is.EqualTo(sas[^1].Id), "newest first");
    }

    [Test]
    public async Task Sha256IcvAsLinuxInstallsIt()
    {
        var sha256 = AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha256");
        var sa = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x256)
        {
            Encryption = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc")),
            Authentication = Keyed(sha256), // RFC 4868's 128 bits asked for
        };
        await kernel.AddSaAsync(sa);
        var expected = PfKey ? 96 : 128;
        Assert.That((await kernel.GetSaAsync(sa.Id))!.Authentication!.IcvBits, Is.EqualTo(expected));
        Assert.That(ns.Exec("ip xfrm state"), Does.Contain($"hmac(sha256) 0x{Convert.ToHexStringLower(sa.Authentication!.Key.Span)} {expected}"));
    }

    [Test]
    public async Task ReplayWindowAboveThirtyTwo()
    {
        var sa = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x64)
        {
            ReplayWindow = 64,
            Encryption = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc")),
        };
        await kernel.AddSaAsync(sa);
        // Without an ESN replay state the kernel keeps the 32-bit legacy bitmap, over either interface.
        Assert.That((await kernel.GetSaAsync(sa.Id))!.ReplayWindow, Is.EqualTo(32u));
    }

    [Test]
    public async Task AeadCiphers()
    {
        var gcm = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x4106) { Aead = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Aead, "aes-gcm-16")) };
        if (PfKey)
        {
            var e = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.AddSaAsync(gcm));
            Assert.That(e!.Errno, Is.EqualTo(KernelErrno.ENOSYS), "Linux's af_key has no AEAD ciphers");
            return;
        }

        await kernel.AddSaAsync(gcm);
        Assert.That((await kernel.GetSaAsync(gcm.Id))! with { Current = null }, Is.EqualTo(Installed(gcm) with { Mode = IpsecMode.Transport }));
    }

    [Test]
    public async Task SaLifecycleAndErrors()
    {
        var sa = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x2000)
        {
            Mode = IpsecMode.Tunnel,
            ReqId = 7,
            ReplayWindow = 32,
            Flags = SaFlags.NoEcn,
            Encryption = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc")),
            Authentication = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha1")),
            Lifetime = new Lifetime(new LifetimeLimits(Bytes: 1000, AddSeconds: 2880), new LifetimeLimits(Bytes: 2000, AddSeconds: 3600)),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4501),
        };
        await kernel.AddSaAsync(sa);
        var again = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.AddSaAsync(sa));
        Assert.That(again!.IsAlreadyExists, Is.True, again.Message);
        Assert.That((await kernel.GetSaAsync(sa.Id))! with { Current = null }, Is.EqualTo(Installed(sa)));

        var updated = sa with { Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 100), new LifetimeLimits(AddSeconds: 200)) };
        await kernel.UpdateSaAsync(updated);
        Assert.That((await kernel.GetSaAsync(sa.Id))!.Lifetime, Is.EqualTo(updated.Lifetime));

        var missing = new SaId(Left, Right, IpsecProtocol.Esp, 0x2001);
        var update = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.UpdateSaAsync(sa with { Id = missing }));
        Assert.That(update!.IsNotFound, Is.True, update.Message);
        Assert.That(await kernel.GetSaAsync(missing), Is.Null);

        await kernel.DeleteSaAsync(sa.Id);
        Assert.That(await kernel.GetSaAsync(sa.Id), Is.Null);
        var delete = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.DeleteSaAsync(sa.Id));
        Assert.That(delete!.IsNotFound, Is.True, delete.Message);
        Assert.That(await kernel.DumpSasAsync(), Is.Empty);
    }

    [Test]
    public async Task AllocateSpiThenCompleteTheLarvalSa()
    {
        var spi = await kernel.AllocateSpiAsync(new SpiRequest(Right, Left, IpsecProtocol.Esp, new SpiRange(0x5000, 0x5fff), ReqId: 9));
        Assert.That(spi, Is.InRange(0x5000u, 0x5fffu));
        var larval = await kernel.GetSaAsync(new SaId(Right, Left, IpsecProtocol.Esp, spi));
        Assert.That((larval!.Encryption, larval.ReqId), Is.EqualTo(((SaAlgorithm?)null, 9u)));
        Assert.That((await kernel.DumpSasAsync()).Single().Id.Spi, Is.EqualTo(spi));

        var complete = new SecurityAssociation(Right, Left, IpsecProtocol.Esp, spi)
        {
            Mode = IpsecMode.Transport,
            ReqId = 9,
            ReplayWindow = 4,
            Encryption = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "3des-cbc")),
            Authentication = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-md5")),
        };
        await kernel.UpdateSaAsync(complete);
        Assert.That((await kernel.GetSaAsync(complete.Id))! with { Current = null }, Is.EqualTo(Installed(complete)));
        Assert.That(await kernel.DumpSasAsync(), Has.Count.EqualTo(1));

        var cpi = await kernel.AllocateSpiAsync(new SpiRequest(Right, Left, IpsecProtocol.IpComp));
        Assert.That(cpi, Is.InRange(0x100u, 0xffffu));
    }

    [Test]
    public async Task FlushByProtocol()
    {
        foreach (var sa in SasOfEveryAlgorithm(Left, Right, includeAead: false).Take(12))
            await kernel.AddSaAsync(sa);
        await kernel.FlushSasAsync(IpsecProtocol.Ah);
        Assert.That((await kernel.DumpSasAsync()).Select(s => s.Id.Protocol).Distinct(), Is.EquivalentTo(new[] { IpsecProtocol.Esp }));
        await kernel.FlushSasAsync();
        Assert.That(await kernel.DumpSasAsync(), Is.Empty);
        await kernel.FlushSasAsync(); // flushing nothing is quiet
    }

    internal static IReadOnlyList<SecurityPolicy> PoliciesWithBundles() =>
    [
        new SecurityPolicy(new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16")), PolicyDirection.Out, PolicyAction.Allow,
            [
                new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Tunnel, IpsecLevel.Require, 0, Left, Right),
                new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique, 5),
            ]),
        new SecurityPolicy(new Selector(AddressPrefix.Parse("10.2.0.0/16"), AddressPrefix.Parse("10.1.0.0/16"), 6, 0, 443), PolicyDirection.In, PolicyAction.Allow,
            [
                new IpsecRequest(IpsecProtocol.IpComp, IpsecMode.Tunnel, IpsecLevel.Use, 0, Right, Left),
                new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Unique, 6, Right, Left),
            ]) { Priority = 100, Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 500), new LifetimeLimits(AddSeconds: 1000)) },
        new SecurityPolicy(new Selector(AddressPrefix.Parse("fd77:1::/64"), AddressPrefix.Parse("fd77:2::/64"), 58, 135, 0), PolicyDirection.Fwd, PolicyAction.Allow,
            [
                new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Transport, IpsecLevel.Require),
                new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, Left6, Right6),
            ]) { Priority = 0x3ffffffb },
        new SecurityPolicy(new Selector(AddressPrefix.Parse("10.9.0.0/24"), AddressPrefix.Parse("10.8.0.0/24"), 17, 53, 0), PolicyDirection.Out, PolicyAction.Block),
        new SecurityPolicy(Selector.Any(AddressFamily.InterNetworkV6), PolicyDirection.In) { Priority = 1 },
    ];

    [Test]
    public async Task PoliciesWithBundlesReadBackAsInstalled()
    {
        var policies = PoliciesWithBundles();
        foreach (var p in policies)
            await kernel.AddPolicyAsync(p);
        foreach (var p in policies)
        {
            var read = await kernel.GetPolicyAsync(p.Id);
            Assert.That(read, Is.Not.Null, p.ToString());
            Assert.That(read!.Index, Is.Not.Zero);
            Assert.That(read with { Index = 0, Current = null }, Is.EqualTo(p), p.ToString());
        }

        var dump = await kernel.DumpPoliciesAsync();
        Assert.That(dump.Select(p => p.Id), Is.EquivalentTo(policies.Select(p => p.Id)));

        var duplicate = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.AddPolicyAsync(policies[0]));
        Assert.That(duplicate!.IsAlreadyExists, Is.True, duplicate.Message);
        var index = (await kernel.GetPolicyAsync(policies[0].Id))!.Index;
        await kernel.UpdatePolicyAsync(policies[0] with { Priority = 5 });
        var updated = await kernel.GetPolicyAsync(policies[0].Id);
        Assert.That((updated!.Priority, updated.Index), Is.EqualTo((5u, index)));

        await kernel.DeletePolicyAsync(policies[1].Id);
        Assert.That(await kernel.GetPolicyAsync(policies[1].Id), Is.Null);
        var again = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.DeletePolicyAsync(policies[1].Id));
        Assert.That(again!.IsNotFound, Is.True, again.Message);

        await kernel.FlushPoliciesAsync();
        Assert.That(await kernel.DumpPoliciesAsync(), Is.Empty);
        await kernel.FlushPoliciesAsync();
    }

    [Test]
    public async Task EventsForEveryChange()
    {
        await using var events = ns.Run(() => kernel.SubscribeEvents());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<KernelEvent>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in events.WithCancellation(cancel.Token))
            {
                lock (seen)
                    seen.Add(e);
                if (e is PoliciesFlushedEvent)
                    return;
            }
        });

        var sa = SasOfEveryAlgorithm(Left, Right, includeAead: false).First();
        var policy = PoliciesWithBundles()[0];
        await kernel.AddSaAsync(sa);
        await kernel.UpdateSaAsync(sa with { ReplayWindow = 8 });
        await kernel.DeleteSaAsync(sa.Id);
        await kernel.AddSaAsync(sa);
        await kernel.FlushSasAsync();
        await kernel.AddPolicyAsync(policy);
        await kernel.UpdatePolicyAsync(policy with { Priority = 9 });
        await kernel.DeletePolicyAsync(policy.Id);
        await kernel.AddPolicyAsync(policy);
        await kernel.FlushPoliciesAsync();
        await reader;

        List<string> kinds;
        lock (seen)
            kinds = seen.Where(e => e is not ResyncRequiredEvent).Select(e => e.GetType().Name).ToList();
        Assert.That(kinds, Is.EqualTo(new[]
        {
            "SaAddedEvent", "SaUpdatedEvent", "SaDeletedEvent", "SaAddedEvent", "SasFlushedEvent",
            "PolicyAddedEvent", "PolicyUpdatedEvent", "PolicyDeletedEvent", "PolicyAddedEvent", "PoliciesFlushedEvent",
        }));
        var added = (SaAddedEvent)seen[0];
        Assert.That(added.Sa with { Current = null }, Is.EqualTo(Installed(sa)));
        Assert.That(((SaUpdatedEvent)seen[1]).Sa.ReplayWindow, Is.EqualTo(8u));
        Assert.That(((PolicyAddedEvent)seen[5]).Policy with { Index = 0, Current = null }, Is.EqualTo(policy));
        Assert.That(((PolicyUpdatedEvent)seen[6]).Policy.Priority, Is.EqualTo(9u));
        Assert.That(((SasFlushedEvent)seen[4]).Protocol, Is.Null);
    }

    [Test]
    public async Task AcquireFromARealPacket()
    {
        ns.Exec("ip link add d0 type dummy");
        ns.Exec("ip addr add 10.77.0.1/24 dev d0");
        ns.Exec("ip link set d0 up");
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Parse("10.77.0.1/32"), AddressPrefix.Parse("10.77.0.5/32"), 17), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Require)]);
        await kernel.AddPolicyAsync(policy);
        var index = (await kernel.GetPolicyAsync(policy.Id))!.Index;

        await using var events = ns.Run(() => kernel.SubscribeEvents());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var acquire = Task.Run(async () =>
        {
            await foreach (var e in events.WithCancellation(cancel.Token))
            {
                if (e is AcquireEvent a)
                    return a;
            }

            throw new InvalidOperationException("event stream ended");
        });
        ns.Run(() =>
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(Left, 0));
            try
            {
                udp.SendTo([1, 2, 3], new IPEndPoint(IPAddress.Parse("10.77.0.5"), 9));
            }
            catch (SocketException)
            {
                // EAGAIN while the SA is being negotiated is how Linux answers the first packet.
            }
        });

        var a = await acquire;
        Assert.That((a.Source, a.Destination, a.Protocol), Is.EqualTo((Left, IPAddress.Parse("10.77.0.5"), IpsecProtocol.Esp)));
        Assert.That(a.Policy.Index, Is.EqualTo(index));
        Assert.That(a.Policy.Requests, Is.EqualTo(policy.Requests));
        Assert.That(a.Sequence, Is.Not.Zero);

        // The ACQUIRE's sequence number finds the larval SA the kernel made for it.
        var spi = await kernel.AllocateSpiAsync(new SpiRequest(Left, IPAddress.Parse("10.77.0.5"), IpsecProtocol.Esp, AcquireSequence: a.Sequence));
        var larval = (await kernel.DumpSasAsync()).Where(s => s.Id.Destination.Equals(IPAddress.Parse("10.77.0.5"))).ToList();
        Assert.That(larval.Select(s => s.Id.Spi), Is.EqualTo(new[] { spi }), "one larval SA: the ACQUIRE's, now with our SPI");
    }

    [Test]
    public async Task SoftThenHardExpire()
    {
        await using var events = ns.Run(() => kernel.SubscribeEvents());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var expires = Task.Run(async () =>
        {
            var list = new List<SaExpiredEvent>();
            await foreach (var e in events.WithCancellation(cancel.Token))
            {
                if (e is SaExpiredEvent x)
                    list.Add(x);
                if (IsHard(e))
                    return list;
            }

            return list;
        });
        var sa = new SecurityAssociation(Left, Right, IpsecProtocol.Esp, 0x2010)
        {
            Encryption = Keyed(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc")),
            Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 2), new LifetimeLimits(AddSeconds: 5)),
        };
        await kernel.AddSaAsync(sa);
        var seen = await expires;
        Assert.That(seen.Select(e => (e.Hard, e.Sa.Id)), Is.EqualTo(new[] { (false, sa.Id), (true, sa.Id) }));
        Assert.That(await kernel.GetSaAsync(sa.Id), Is.Null, "gone after the hard expire");

        static bool IsHard(KernelEvent e) => e is SaExpiredEvent { Hard: true };
    }
}
