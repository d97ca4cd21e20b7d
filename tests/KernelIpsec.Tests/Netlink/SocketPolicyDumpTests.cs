using System.Buffers.Binary;
using System.Runtime.InteropServices;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.NetlinkProtocol;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink;

/// <summary>
/// The kernel walks per-socket policies (another IKE daemon's bypass) with the SPD and numbers their direction
/// past fwd. A dump must leave them out instead of failing: a second racoon in a namespace where one already
/// runs used to stop at start with "policy direction 4 is not in, out or fwd".
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class SocketPolicyDumpTests
{
    private static readonly SecurityPolicy Policy = new(new Selector(AddressPrefix.Parse("10.77.0.1/32"), AddressPrefix.Parse("10.77.0.2/32")),
        PolicyDirection.Out, PolicyAction.Allow, [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport)]);

    [TestCase((byte)3, TestName = "xfrm socket in (3)")]
    [TestCase((byte)4, TestName = "xfrm socket out (4)")]
    [TestCase((byte)5, TestName = "xfrm socket fwd (5)")]
    public void XfrmDumpRecordOfASocketPolicyIsLeftOut(byte direction)
    {
        var body = XfrmMessages.AddPolicy(Policy, update: false, 1)[16..];
        body[(int)Marshal.OffsetOf<XfrmUserpolicyInfo>(nameof(XfrmUserpolicyInfo.Dir))] = direction;
        Assert.That(XfrmDecoder.DumpedPolicy(body), Is.Null);
        Assert.Throws<NetlinkFormatException>(() => XfrmDecoder.Policy(body), "a socket policy in an event or a get reply is still an error");
    }

    [Test]
    public void XfrmDumpRecordOfAnSpdPolicyReadsBack() =>
        Assert.That(XfrmDecoder.DumpedPolicy(XfrmMessages.AddPolicy(Policy, update: false, 1).AsSpan(16))! with { Current = null }, Is.EqualTo(Policy));

    [TestCase((byte)4)]
    [TestCase((byte)5)]
    [TestCase((byte)6)]
    public void PfKeyDumpRecordOfASocketPolicyIsLeftOut(byte direction)
    {
        var message = PfKeyMessages.SpdAdd(Policy, update: false, 1, 1);
        PolicyExtension(message)[6] = direction;
        Assert.That(PfKeyDecoder.DumpedPolicy(SadbMessage.Parse(message)), Is.Null);
    }

    [Test]
    public void PfKeyDumpRecordOfAnSpdPolicyReadsBack() =>
        Assert.That(PfKeyDecoder.DumpedPolicy(SadbMessage.Parse(PfKeyMessages.SpdAdd(Policy, update: false, 1, 1))), Is.EqualTo(Policy));

    /// <summary>The sadb_x_policy extension (type 18) of a PF_KEY message: len, exttype, type, dir, reserved, id, priority.</summary>
    private static Span<byte> PolicyExtension(byte[] message)
    {
        for (var offset = 16; offset < message.Length;)
        {
            var words = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset));
            if (BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset + 2)) == 18)
                return message.AsSpan(offset, words * 8);
            offset += words * 8;
        }

        throw new AssertionException("no sadb_x_policy extension");
    }
}
