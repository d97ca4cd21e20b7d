using System.Buffers.Binary;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>How replies are matched to the request: sequence numbers, ACKs, errors, multipart dumps and NLM_F_DUMP_INTR.</summary>
[TestFixture, Category(Tier.Unit)]
public class XfrmReplyHandlingTests
{
    private const ushort Multi = 0x02, DumpIntr = 0x10;

    private static byte[] Message(ushort type, ushort flags, uint seq, byte[] body)
    {
        var m = new byte[16 + ((body.Length + 3) & ~3)];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)(16 + body.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), seq);
        body.CopyTo(m, 16);
        return m;
    }

    private static byte[] Error(uint seq, int errno)
    {
        var body = new byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(body, -errno);
        return Message(2, 0, seq, body);
    }

    private static (bool Done, bool Interrupted, List<string> Items) Run(byte[] datagram, uint seq, bool dump, bool ack)
    {
        var items = new List<string>();
        var interrupted = false;
        var done = XfrmKernel.Process<string>(datagram, seq, dump, ack, "add SA", "esp spi 0x100 10.0.0.1->10.0.0.2",
            (type, body) => $"{type}:{body.Length}", items, ref interrupted);
        return (done, interrupted, items);
    }

    [Test]
    public void AckEndsTheRequestAndStaleRepliesAreSkipped()
    {
        var datagram = Error(6, KernelErrno.EEXIST).Concat(Error(7, 0)).ToArray();
        Assert.That(Run(datagram, 7, dump: false, ack: true), Is.EqualTo((true, false, new List<string>())));
    }

    [Test]
    public void ErrorBecomesAnExceptionNamingOperationEntryAndErrno()
    {
        var e = Assert.Throws<KernelIpsecException>(() => Run(Error(7, KernelErrno.EEXIST), 7, dump: false, ack: true));
        Assert.That(e!.Message, Is.EqualTo("add SA esp spi 0x100 10.0.0.1->10.0.0.2: File exists"));
        Assert.That(e.Errno, Is.EqualTo(KernelErrno.EEXIST));
    }

    [Test]
    public void DumpRunsUntilDoneAndNoticesInterruption()
    {
        var part1 = Message(19, Multi, 9, new byte[8]).Concat(Message(19, Multi | DumpIntr, 9, new byte[12])).ToArray();
        Assert.That(Run(part1, 9, dump: true, ack: false), Is.EqualTo((false, true, new List<string> { "19:8", "19:12" })));
        Assert.That(Run(Message(3, Multi, 9, new byte[4]), 9, dump: true, ack: false).Done, Is.True);
    }

    [Test]
    public void DoneWithAnErrorFailsTheDump()
    {
        var body = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(body, -KernelErrno.ENOMEM);
        Assert.That(() => Run(Message(3, Multi, 9, body), 9, dump: true, ack: false),
            Throws.TypeOf<KernelIpsecException>().With.Message.EqualTo("add SA esp spi 0x100 10.0.0.1->10.0.0.2: Cannot allocate memory"));
    }

    [Test]
    public void SingleReplyWithoutAckEndsTheRequest() =>
        Assert.That(Run(Message(16, 0, 3, new byte[224]), 3, dump: false, ack: false), Is.EqualTo((true, false, new List<string> { "16:224" })));
}
