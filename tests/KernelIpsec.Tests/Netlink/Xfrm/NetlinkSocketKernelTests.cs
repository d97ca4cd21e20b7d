using System.Diagnostics;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>The request socket's synchronous receive: it waits for the kernel, and gives up when cancelled.</summary>
[TestFixture, Category(Tier.Kernel)]
public class NetlinkSocketKernelTests : XfrmKernelTestBase
{
    [Test]
    public void ReceiveWithNothingQueuedEndsWhenCancelled()
    {
        var (cancelled, elapsed) = Ns.Run(() =>
        {
            using var socket = NetlinkSocket.Open(XfrmConstants.NETLINK_XFRM, groups: 0);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            try
            {
                socket.Receive(new byte[4096], cancel.Token);
                return (false, clock.Elapsed);
            }
            catch (OperationCanceledException)
            {
                return (true, clock.Elapsed);
            }
        });
        Assert.Multiple(() =>
        {
            Assert.That(cancelled, Is.True, "Receive returned without a message");
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)).And.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public void ReceiveGetsTheKernelsAnswerToARequest()
    {
        var received = Ns.Run(() =>
        {
            using var socket = NetlinkSocket.Open(XfrmConstants.NETLINK_XFRM, groups: 0);
            socket.Send(XfrmMessages.DumpPolicies(7));
            var buffer = new byte[65536];
            return socket.Receive(buffer, CancellationToken.None) is var n ? buffer.AsSpan(0, n).ToArray() : [];
        });
        // An empty SPD answers the dump with NLMSG_DONE (type 3) for our sequence number.
        Assert.That(received.Length >= 16 ? (System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(received.AsSpan(4)), System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(received.AsSpan(8))) : default,
            Is.EqualTo(((ushort)3, 7u)));
    }
}
