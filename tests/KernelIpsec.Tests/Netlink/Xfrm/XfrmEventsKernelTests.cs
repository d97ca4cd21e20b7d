using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>SPI allocation, larval SAs, ACQUIRE from a real packet and the notification stream on this machine's kernel.</summary>
[TestFixture, Category(Tier.Kernel)]
public class XfrmEventsKernelTests : XfrmKernelTestBase
{
    private static readonly IPAddress Local = IPAddress.Parse("10.77.1.1");
    private static readonly IPAddress Remote = IPAddress.Parse("10.77.1.2");
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly RecordingLogger log = new();

    private (XfrmKernel Kernel, IKernelEventSubscription Events) Open(int receiveBuffer = 0) => Ns.Run(() =>
    {
        var k = XfrmKernel.Open(log);
        return (k, receiveBuffer == 0 ? k.SubscribeEvents() : k.SubscribeEvents(receiveBuffer));
    });

    private static async Task<T> Next<T>(IAsyncEnumerator<KernelEvent> events)
        where T : KernelEvent
    {
        while (true)
        {
            Assert.That(await events.MoveNextAsync().AsTask().WaitAsync(Wait), Is.True, "event stream ended");
            if (events.Current is T wanted)
                return wanted;
        }
    }

    private static async Task<KernelEvent> Next(IAsyncEnumerator<KernelEvent> events)
    {
        Assert.That(await events.MoveNextAsync().AsTask().WaitAsync(Wait), Is.True, "event stream ended");
        return events.Current;
    }

    [Test]
    public async Task AllocatedSpiIsInRangeAndShowsAsLarvalSa()
    {
        var (kernel, events) = Open();
        await using var _ = kernel;
        await using var __ = events;
        var spi = await kernel.AllocateSpiAsync(new SpiRequest(Local, Remote, IpsecProtocol.Esp, new SpiRange(0x1000, 0x10ff), ReqId: 9));
        Assert.That(spi, Is.InRange(0x1000u, 0x10ffu));
        var larval = await kernel.GetSaAsync(new SaId(Local, Remote, IpsecProtocol.Esp, spi));
        Assert.That((larval?.ReqId, larval?.Encryption), Is.EqualTo(((uint?)9, (SaAlgorithm?)null)));
        Assert.That(IpXfrm(Ns, "state"), Does.Contain($"proto esp spi 0x{spi:x8} reqid 9 mode transport"));
        Assert.That((await kernel.DumpSasAsync()).Select(s => s.Id.Spi), Is.EqualTo(new[] { spi }));
    }

    [Test]
    public async Task SingleValueRangeThatIsTakenFails()
    {
        var (kernel, events) = Open();
        await using var _ = kernel;
        await using var __ = events;
        var request = new SpiRequest(Local, Remote, IpsecProtocol.Esp, new SpiRange(0x2000, 0x2000));
        Assert.That(await kernel.AllocateSpiAsync(request), Is.EqualTo(0x2000u));
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.AllocateSpiAsync(request));
        Assert.That(e!.Message, Does.StartWith("allocate SPI esp 10.77.1.1->10.77.1.2 range 0x2000-0x2000: "));
    }

    [Test]
    public async Task MissingSaIsNoSuchProcessAndGetSaysNull()
    {
        var (kernel, events) = Open();
        await using var _ = kernel;
        await using var __ = events;
        var id = new SaId(Local, Remote, IpsecProtocol.Esp, 0x100);
        Assert.That(await kernel.GetSaAsync(id), Is.Null);
        var e = Assert.ThrowsAsync<KernelIpsecException>(() => kernel.DeleteSaAsync(id));
        Assert.That(e!.Message, Is.EqualTo("delete SA esp spi 0x100 10.77.1.1->10.77.1.2: No such process"));
    }

    [Test]
    public async Task NotificationsArriveInOrder()
    {
        var (kernel, subscription) = Open();
        await using var _ = kernel;
        await using var __ = subscription;
        await using var events = subscription.GetAsyncEnumerator();
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Host(Local), AddressPrefix.Host(Remote)), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport)]);
        await kernel.AddPolicyAsync(policy);
        await kernel.UpdatePolicyAsync(policy with { Priority = 9 });
        await kernel.DeletePolicyAsync(policy.Id);
        await kernel.AddPolicyAsync(policy);
        await kernel.FlushPoliciesAsync();
        var spi = await kernel.AllocateSpiAsync(new SpiRequest(Local, Remote, IpsecProtocol.Esp));
        await kernel.DeleteSaAsync(new SaId(Local, Remote, IpsecProtocol.Esp, spi));
        await kernel.AllocateSpiAsync(new SpiRequest(Local, Remote, IpsecProtocol.Esp));
        await kernel.FlushSasAsync(IpsecProtocol.Esp);

        var added = (PolicyAddedEvent)await Next(events);
        Assert.That(added.Policy with { Current = null, Index = 0 }, Is.EqualTo(policy));
        Assert.That(((PolicyUpdatedEvent)await Next(events)).Policy.Priority, Is.EqualTo(9u));
        Assert.That(((PolicyDeletedEvent)await Next(events)).Policy.Id, Is.EqualTo(policy.Id));
        Assert.That(await Next(events), Is.TypeOf<PolicyAddedEvent>());
        Assert.That(await Next(events), Is.TypeOf<PoliciesFlushedEvent>());
        Assert.That(((SaDeletedEvent)await Next(events)).Sa.Id.Spi, Is.EqualTo(spi));
        Assert.That(((SasFlushedEvent)await Next(events)).Protocol, Is.EqualTo(IpsecProtocol.Esp));
    }

    [Test]
    public async Task PacketHittingARequirePolicyRaisesAcquire()
    {
        Ns.Exec("ip link add v0 type veth peer name v1");
        Ns.Exec("ip addr add 10.77.1.1/24 dev v0");
        Ns.Exec("ip link set v0 up");
        Ns.Exec("ip link set v1 up");
        var (kernel, subscription) = Open();
        await using var _ = kernel;
        await using var __ = subscription;
        await using var events = subscription.GetAsyncEnumerator();
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Host(Local), AddressPrefix.Host(Remote), 17), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique, 42)]);
        await kernel.AddPolicyAsync(policy);
        Ns.Run(() =>
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(Local, 40000));
            try
            {
                udp.SendTo(new byte[] { 1, 2, 3 }, new IPEndPoint(Remote, 5000));
            }
            catch (SocketException)
            {
                // The kernel may refuse the packet (no SA yet); the ACQUIRE is what we wait for.
            }
        });

        var acquire = await Next<AcquireEvent>(events);
        Assert.That((acquire.Source, acquire.Destination, acquire.Protocol), Is.EqualTo((Local, Remote, IpsecProtocol.Esp)));
        Assert.That(acquire.Trigger, Is.EqualTo(new Selector(AddressPrefix.Host(Local), AddressPrefix.Host(Remote), 17, 40000, 5000)));
        Assert.That(acquire.Policy with { Current = null, Index = 0 }, Is.EqualTo(policy));
        Assert.That(acquire.Sequence, Is.Not.Zero);

        // The daemon's next step: reserve an SPI bound to this ACQUIRE; the kernel fills in the larval SA it made.
        var spi = await kernel.AllocateSpiAsync(new SpiRequest(Remote, Local, IpsecProtocol.Esp, ReqId: 42, AcquireSequence: acquire.Sequence));
        Assert.That(spi, Is.InRange(SpiRange.Default.Min, SpiRange.Default.Max));
    }

    [Test]
    public async Task OverflowingTheEventQueueYieldsResyncAndTheStreamGoesOn()
    {
        var (kernel, subscription) = Open(receiveBuffer: 1024);
        await using var _ = kernel;
        await using var __ = subscription;
        for (var i = 0; i < 300; i++)
            await kernel.AddPolicyAsync(new SecurityPolicy(new Selector(AddressPrefix.Parse($"10.77.2.{i % 250}"), AddressPrefix.Parse($"10.77.3.{i / 250}")), PolicyDirection.Out, PolicyAction.Block));
        await using var events = subscription.GetAsyncEnumerator();
        var resync = await Next(events);
        Assert.That(resync, Is.TypeOf<ResyncRequiredEvent>().With.Property("Reason").Contains("ENOBUFS"));
        Assert.That(log.Lines, Has.Some.EqualTo("Warning: XFRM events: kernel event queue overflowed (ENOBUFS): notifications were lost; resynchronising by dump"));
        // What was queued before the overflow still comes; the kernel delivers again once the queue is drained.
        Task<bool> pending;
        while (await Task.WhenAny(pending = events.MoveNextAsync().AsTask(), Task.Delay(500)) == pending)
            Assert.That(events.Current, Is.TypeOf<PolicyAddedEvent>());
        await kernel.FlushPoliciesAsync();
        Assert.That(await pending.WaitAsync(Wait) && events.Current is PoliciesFlushedEvent, "still listening after the overflow");
    }

    private sealed class RecordingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
                Lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
