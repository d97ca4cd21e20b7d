using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink;

[TestFixture, Category(Tier.Unit)]
public class InMemoryKernelTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");

    private static SecurityAssociation Esp(uint spi, IPAddress? src = null, IPAddress? dst = null) =>
        new(src ?? A, dst ?? B, IpsecProtocol.Esp, spi)
        {
            Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), new byte[16]),
            Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha1"), new byte[20]),
        };

    private static SecurityPolicy Out(string src, string dst, params IpsecRequest[] requests) =>
        new(new Selector(AddressPrefix.Parse(src), AddressPrefix.Parse(dst)), PolicyDirection.Out, PolicyAction.Allow, requests);

    [Test]
    public async Task DuplicateAddFailsWithFileExists()
    {
        await using var k = new InMemoryKernel();
        await k.AddSaAsync(Esp(0x100));
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => k.AddSaAsync(Esp(0x100, src: IPAddress.Parse("10.0.0.9"))));
        Assert.That(e!.Message, Is.EqualTo("add SA esp spi 0x100 10.0.0.9->10.0.0.2: File exists"));
        Assert.That(e.IsAlreadyExists);
    }

    [Test]
    public async Task DeleteOfMissingSaFailsWithNoSuchProcess()
    {
        await using var k = new InMemoryKernel();
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => k.DeleteSaAsync(new SaId(A, B, IpsecProtocol.Esp, 0x999)));
        Assert.That(e!.Message, Is.EqualTo("delete SA esp spi 0x999 10.0.0.1->10.0.0.2: No such process"));
    }

    [Test]
    public async Task InvalidSaIsRejectedBeforeAnythingIsStored()
    {
        await using var k = new InMemoryKernel();
        Assert.ThrowsAsync<ArgumentException>(() => k.AddSaAsync(new SecurityAssociation(A, B, IpsecProtocol.Esp, 0x100)));
        Assert.That(await k.DumpSasAsync(), Is.Empty);
    }

    [Test]
    public async Task SasDumpNewestFirstAndModeAnyBecomesTransport()
    {
        await using var k = new InMemoryKernel();
        await k.AddSaAsync(Esp(0x100));
        await k.AddSaAsync(Esp(0x200) with { Mode = IpsecMode.Tunnel });
        var dump = await k.DumpSasAsync();
        Assert.That(dump.Select(s => (s.Id.Spi, s.Mode)), Is.EqualTo(new[] { (0x200u, IpsecMode.Tunnel), (0x100u, IpsecMode.Transport) }));
        Assert.That(dump[1] with { Current = null }, Is.EqualTo(Esp(0x100) with { Mode = IpsecMode.Transport }));
    }

    [Test]
    public async Task AllocatedSpiIsInRangeAndUpdateCompletesTheLarvalSa()
    {
        await using var k = new InMemoryKernel(random: new Random(7));
        await k.AddSaAsync(Esp(0x1000));
        var spi = await k.AllocateSpiAsync(new SpiRequest(A, B, IpsecProtocol.Esp, new SpiRange(0x1000, 0x1001)));
        Assert.That(spi, Is.EqualTo(0x1001u));
        var larval = await k.GetSaAsync(new SaId(A, B, IpsecProtocol.Esp, spi));
        Assert.That(larval!.Encryption, Is.Null);
        Assert.ThrowsAsync<KernelIpsecException>(() => k.AddSaAsync(Esp(spi)));
        await k.UpdateSaAsync(Esp(spi));
        Assert.That((await k.GetSaAsync(new SaId(A, B, IpsecProtocol.Esp, spi)))!.Encryption, Is.Not.Null);
    }

    [Test]
    public async Task ExhaustedSpiRangeFails()
    {
        await using var k = new InMemoryKernel();
        await k.AddSaAsync(Esp(0x300));
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => k.AllocateSpiAsync(new SpiRequest(A, B, IpsecProtocol.Esp, new SpiRange(0x300, 0x300))));
        Assert.That(e!.Errno, Is.EqualTo(KernelErrno.ENOENT));
    }

    [Test]
    public async Task UpdateOfMatureSaChangesOnlyLifetimes()
    {
        await using var k = new InMemoryKernel();
        await k.AddSaAsync(Esp(0x100));
        var newKey = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), Enumerable.Repeat((byte)1, 16).ToArray());
        var lifetime = new Lifetime(hard: new LifetimeLimits(AddSeconds: 60));
        await k.UpdateSaAsync(Esp(0x100) with { Encryption = newKey, Lifetime = lifetime });
        var got = await k.GetSaAsync(new SaId(A, B, IpsecProtocol.Esp, 0x100));
        Assert.That((got!.Encryption, got.Lifetime), Is.EqualTo((Esp(0x100).Encryption, lifetime)));
    }

    [Test]
    public async Task UpdateOfMissingSaFailsWithNoSuchProcess()
    {
        await using var k = new InMemoryKernel();
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => k.UpdateSaAsync(Esp(0x100)));
        Assert.That(e!.Errno, Is.EqualTo(KernelErrno.ESRCH));
    }

    [Test]
    public async Task FlushByProtocolKeepsOthers()
    {
        await using var k = new InMemoryKernel();
        await k.AddSaAsync(Esp(0x100));
        await k.AddSaAsync(new SecurityAssociation(A, B, IpsecProtocol.Ah, 0x100) { Authentication = Esp(1).Authentication });
        await k.FlushSasAsync(IpsecProtocol.Esp);
        Assert.That((await k.DumpSasAsync()).Select(s => s.Id.Protocol), Is.EqualTo(new[] { IpsecProtocol.Ah }));
    }

    [Test]
    public async Task PolicyIndexesEncodeDirectionLikeLinux()
    {
        await using var k = new InMemoryKernel();
        var request = new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport);
        await k.AddPolicyAsync(Out("10.0.0.1", "10.0.0.2", request));
        await k.AddPolicyAsync(Out("10.0.0.2", "10.0.0.1", request) with { Direction = PolicyDirection.In });
        await k.AddPolicyAsync(Out("10.0.0.2", "10.0.0.1", request) with { Direction = PolicyDirection.Fwd });
        var dump = await k.DumpPoliciesAsync();
        // setkey -DP on Linux showed spid 1 (out), 8 (in), 18 (fwd), newest first.
        Assert.That(dump.Select(p => (p.Direction, p.Index)), Is.EqualTo(new[] { (PolicyDirection.Fwd, 18u), (PolicyDirection.In, 8u), (PolicyDirection.Out, 1u) }));
    }

    [Test]
    public async Task PolicyAddTwiceFailsUpdateReplacesKeepingIndex()
    {
        await using var k = new InMemoryKernel();
        var p = Out("10.1.0.0/16", "10.2.0.0/16", new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport));
        await k.AddPolicyAsync(p);
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => k.AddPolicyAsync(p with { Priority = 7 }));
        Assert.That(e!.Message, Is.EqualTo("add policy src 10.1.0.0/16 dst 10.2.0.0/16 dir out: File exists"));
        await k.UpdatePolicyAsync(p with { Priority = 7 });
        var got = await k.GetPolicyAsync(p.Id);
        Assert.That((got!.Priority, got.Index), Is.EqualTo((7u, 1u)));
    }

    [Test]
    public async Task LevelsReadBackAsLinuxReportsThem()
    {
        await using var k = new InMemoryKernel();
        await k.AddPolicyAsync(Out("10.0.0.1", "10.0.0.2",
            new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Transport, IpsecLevel.Default),
            new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Use)));
        await k.AddPolicyAsync(Out("10.0.0.3", "10.0.0.4", new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Require, 5)));
        var dump = await k.DumpPoliciesAsync();
        Assert.That(dump.SelectMany(p => p.Requests).Select(r => r.ToString()),
            Is.EqualTo(new[] { "esp/transport//unique:5", "ah/transport//require", "esp/transport//use" }));
    }

    [Test]
    public async Task OptionalTunnelTemplateInOutboundPolicyIsInvalidAsOnLinux()
    {
        await using var k = new InMemoryKernel();
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => k.AddPolicyAsync(Out("10.1.0.0/16", "10.2.0.0/16", new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Use, 0, A, B))));
        Assert.That(e!.Message, Is.EqualTo("add policy src 10.1.0.0/16 dst 10.2.0.0/16 dir out: Invalid argument"));
    }

    [Test]
    public async Task UniqueWithoutNumberGetsAGeneratedReqIdAsFromPfKey()
    {
        await using var k = new InMemoryKernel();
        var unique = new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique);
        await k.AddPolicyAsync(Out("10.0.0.1", "10.0.0.2", unique));
        await k.AddPolicyAsync(Out("10.0.0.3", "10.0.0.4", unique));
        var dump = await k.DumpPoliciesAsync();
        Assert.That(dump.Select(p => p.Requests[0].ToString()), Is.EqualTo(new[] { "esp/transport//unique#16385", "esp/transport//unique#16384" }));
    }

    [Test]
    public async Task DeleteMissingPolicyFailsWithNoSuchFile()
    {
        await using var k = new InMemoryKernel();
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => k.DeletePolicyAsync(Out("10.0.0.1", "10.0.0.2").Id));
        Assert.That(e!.Message, Is.EqualTo("delete policy src 10.0.0.1/32 dst 10.0.0.2/32 dir out: No such file or directory"));
    }

    [Test]
    public async Task EventsFollowChanges()
    {
        await using var k = new InMemoryKernel();
        await k.AddSaAsync(Esp(0x50));
        await using var events = k.SubscribeEvents();
        await k.AddSaAsync(Esp(0x100));
        await k.DeleteSaAsync(Esp(0x100).Id);
        await k.AddPolicyAsync(Out("10.0.0.1", "10.0.0.2"));
        await k.FlushPoliciesAsync();
        await k.FlushPoliciesAsync(); // nothing to flush: no notification, as on Linux
        await k.FlushSasAsync();
        var seen = new List<string>();
        await foreach (var e in events)
        {
            seen.Add(e.GetType().Name);
            if (seen.Count == 5)
                break;
        }

        Assert.That(seen, Is.EqualTo(new[] { "SaAddedEvent", "SaDeletedEvent", "PolicyAddedEvent", "PoliciesFlushedEvent", "SasFlushedEvent" }));
    }

    [Test]
    public async Task PacketWithoutSaTriggersAcquireForTheBestPolicy()
    {
        await using var k = new InMemoryKernel();
        var tunnel = new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, A, B);
        await k.AddPolicyAsync(Out("10.1.0.0/16", "10.2.0.0/16", tunnel));
        await k.AddPolicyAsync(Out("10.1.0.0/24", "10.2.0.0/24") with { Action = PolicyAction.Block, Priority = 100 });
        await using var events = k.SubscribeEvents();
        var flow = new Selector(AddressPrefix.Parse("10.1.5.5"), AddressPrefix.Parse("10.2.5.5"), 17, 1000, 2000);
        var acquire = k.SendPacket(flow);
        Assert.That(acquire, Is.Not.Null);
        Assert.That((acquire!.Source, acquire.Destination, acquire.Protocol, acquire.Trigger), Is.EqualTo((A, B, IpsecProtocol.Esp, flow)));
        Assert.That(k.SendPacket(new Selector(AddressPrefix.Parse("10.1.0.5"), AddressPrefix.Parse("10.2.0.5"))), Is.Null, "blocked by the higher-priority discard policy");
        await k.AddSaAsync(Esp(0x100) with { Mode = IpsecMode.Tunnel });
        Assert.That(k.SendPacket(flow), Is.Null, "an SA exists now");
        await using var e = events.GetAsyncEnumerator();
        Assert.That(await e.MoveNextAsync() && e.Current is AcquireEvent);
    }

    [Test]
    public async Task HardExpiryRemovesTheSa()
    {
        await using var k = new InMemoryKernel();
        await k.AddSaAsync(Esp(0x100));
        await using var events = k.SubscribeEvents();
        Assert.That(k.ExpireSa(Esp(0x100).Id, hard: false));
        Assert.That(await k.GetSaAsync(Esp(0x100).Id), Is.Not.Null);
        Assert.That(k.ExpireSa(Esp(0x100).Id, hard: true));
        Assert.That(await k.GetSaAsync(Esp(0x100).Id), Is.Null);
        var got = new List<bool>();
        await foreach (var ev in events)
        {
            got.Add(((SaExpiredEvent)ev).Hard);
            if (got.Count == 2)
                break;
        }

        Assert.That(got, Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public async Task Ipv6PoliciesAndSasWork()
    {
        await using var k = new InMemoryKernel();
        var v6a = IPAddress.Parse("fd77::1");
        var v6b = IPAddress.Parse("fd77::2");
        await k.AddSaAsync(Esp(0x100, v6a, v6b));
        await k.AddPolicyAsync(new SecurityPolicy(Selector.Any(AddressFamily.InterNetworkV6), PolicyDirection.Out, PolicyAction.Block));
        Assert.That((await k.DumpSasAsync()).Single().Id.Destination, Is.EqualTo(v6b));
        Assert.That((await k.DumpPoliciesAsync()).Single().Selector.ToString(), Is.EqualTo("src ::/0 dst ::/0"));
    }
}
