using System.Buffers.Binary;
using System.Net;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Keyd.Transport;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>
/// The daemon's inbox under a flood: racoonctl and the kernel are served first, running exchanges before new
/// unauthenticated ones, and a flood beyond the bounds is dropped at once instead of growing memory.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class DaemonQueueTests
{
    private static DatagramArrived Datagram(ulong responderCookie, int tag)
    {
        var message = new byte[28];
        BinaryPrimitives.WriteUInt64BigEndian(message, 0x1111);
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(8), responderCookie);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(20), tag);
        return new DatagramArrived(new IkeDatagram(new IPEndPoint(IPAddress.Loopback, 500), new IPEndPoint(IPAddress.Loopback, 500 + tag), message, false));
    }

    [Test]
    public async Task Admin_requests_come_before_a_backlog_of_datagrams_and_running_exchanges_before_new_ones()
    {
        var queue = new DaemonQueue();
        for (var i = 0; i < 50; i++)
        {
            queue.Post(Datagram(0, i));
        }
        for (var i = 0; i < 50; i++)
        {
            queue.Post(Datagram(0x2222, 100 + i));
        }
        var admin = new LoopWork(() => Task.CompletedTask);
        queue.Post(admin);

        Assert.That(await queue.ReadAsync(), Is.SameAs(admin));
        var order = new List<ulong>();
        for (var i = 0; i < 100; i++)
        {
            var next = (DatagramArrived)(await queue.ReadAsync())!;
            order.Add(BinaryPrimitives.ReadUInt64BigEndian(next.Datagram.Message.AsSpan(8)));
        }
        Assert.That(order.Take(50), Is.All.EqualTo(0x2222UL), "running exchanges first");
        Assert.That(order.Skip(50), Is.All.EqualTo(0UL));
    }

    [Test]
    public void A_flood_of_new_negotiations_beyond_the_bound_is_dropped_and_running_exchanges_still_get_in()
    {
        var queue = new DaemonQueue(runningCapacity: 100, freshCapacity: 10);
        var accepted = Enumerable.Range(0, 1000).Count(i => queue.Post(Datagram(0, i)));

        Assert.Multiple(() =>
        {
            Assert.That(accepted, Is.EqualTo(10));
            Assert.That(queue.Dropped, Is.EqualTo(990));
            Assert.That(queue.Post(Datagram(0x2222, 1)), Is.True, "a running exchange's datagram has its own lane");
            Assert.That(queue.Post(new TimerDue()), Is.True, "control events are never dropped");
        });
    }

    [Test]
    public async Task Reading_frees_room_in_the_bounded_lane()
    {
        var queue = new DaemonQueue(runningCapacity: 1, freshCapacity: 1);
        Assert.That(queue.Post(Datagram(0, 1)), Is.True);
        Assert.That(queue.Post(Datagram(0, 2)), Is.False);
        await queue.ReadAsync();
        Assert.That(queue.Post(Datagram(0, 3)), Is.True);
    }

    [Test]
    public async Task A_completed_queue_hands_out_what_it_holds_then_null()
    {
        var queue = new DaemonQueue();
        queue.Post(new TimerDue());
        queue.Complete();
        Assert.That(await queue.ReadAsync(), Is.TypeOf<TimerDue>());
        Assert.That(await queue.ReadAsync(), Is.Null);
    }
}
