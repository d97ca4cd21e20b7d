using System.Buffers.Binary;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Interop;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.NetlinkProtocol;
using KernelIpsec.Netlink.Xfrm;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>
/// A netlink datagram from the kernel's XFRM socket, read as each kind of reply (SA dump, policy dump, one SA)
/// and as a multicast notification. Expected rejections: NetlinkFormatException, and KernelIpsecException for
/// an error reply; notifications also drop an ArgumentException (out-of-range enum values), as the subscription does.
/// </summary>
public sealed class XfrmReplyTarget : IFuzzTarget
{
    public string Name => "xfrm";

    public void Run(ReadOnlySpan<byte> input)
    {
        // The first message's sequence number, so replies are not skipped as late answers to another request.
        var seq = input.Length >= 12 ? BinaryPrimitives.ReadUInt32LittleEndian(input[8..]) : 0;
        Reply<SecurityAssociation>(input, seq, isDump: true, (type, body) => type == XfrmConstants.XFRM_MSG_NEWSA ? XfrmDecoder.IpsecSa(body) : null);
        Reply<SecurityPolicy>(input, seq, isDump: true, (type, body) => type == XfrmConstants.XFRM_MSG_NEWPOLICY ? XfrmDecoder.Policy(body) : null);
        Reply<SecurityAssociation>(input, seq, isDump: false, (_, body) => XfrmDecoder.Sa(body));
        Notifications(input);
    }

    private static void Reply<T>(ReadOnlySpan<byte> datagram, uint seq, bool isDump, XfrmKernel.BodyDecoder<T> decode) where T : class
    {
        var results = new List<T>();
        var interrupted = false;
        try
        {
            XfrmKernel.Process(datagram, seq, isDump, expectsAck: false, "fuzz", "", decode, results, ref interrupted);
        }
        catch (Exception e) when (e is NetlinkFormatException or KernelIpsecException)
        {
        }
        foreach (var item in results)
        {
            _ = item.ToString();
        }
    }

    private static void Notifications(ReadOnlySpan<byte> datagram)
    {
        try
        {
            while (NetlinkMessage.TryRead(ref datagram, out var m))
            {
                try
                {
                    _ = XfrmDecoder.Event(m.Type, m.Body)?.ToString();
                }
                catch (Exception e) when (e is NetlinkFormatException or ArgumentException)
                {
                }
            }
        }
        catch (NetlinkFormatException)
        {
        }
    }
}
