using System.Net;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.NetlinkProtocol;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>Kernel notifications captured from a real kernel (<see cref="KernelNotificationCaptures"/>) decode to these events.</summary>
[TestFixture, Category(Tier.Unit)]
public class XfrmNotificationDecodeTests
{
    private static readonly IPAddress Local = IPAddress.Parse("10.77.1.1");
    private static readonly IPAddress Remote = IPAddress.Parse("10.77.1.2");

    private static KernelEvent? Decode(ushort type, string hex) => XfrmDecoder.Event(type, Convert.FromHexString(hex));

    private static SecurityPolicy V4TransportPolicy => new(
        new Selector(AddressPrefix.Host(Local), AddressPrefix.Host(Remote), 17), PolicyDirection.Out, PolicyAction.Allow,
        [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique, 42)])
    { Priority = 0 };

    [Test]
    public void NewPolicy()
    {
        var e = (PolicyAddedEvent)Decode(19, KernelNotificationCaptures.NewPolicyV4Transport)!;
        Assert.That(e.Policy with { Current = null, Index = 0 }, Is.EqualTo(V4TransportPolicy));
        Assert.That(e.Policy.Index & 7, Is.EqualTo(1u));
    }

    [Test]
    public void DeletedPolicyCarriesTheWholePolicy()
    {
        var e = (PolicyDeletedEvent)Decode(20, KernelNotificationCaptures.DelPolicyV6Tunnel)!;
        Assert.That(e.Policy with { Current = null, Index = 0 }, Is.EqualTo(new SecurityPolicy(
            new Selector(AddressPrefix.Parse("fd77:1::/64"), AddressPrefix.Parse("fd77:2::/64")), PolicyDirection.In, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"))])
        { Priority = 0 }));
    }

    [Test]
    public void Acquire()
    {
        var e = (AcquireEvent)Decode(23, KernelNotificationCaptures.Acquire)!;
        Assert.That((e.Source, e.Destination, e.Protocol), Is.EqualTo((Local, Remote, IpsecProtocol.Esp)));
        Assert.That(e.Trigger, Is.EqualTo(new Selector(AddressPrefix.Host(Local), AddressPrefix.Host(Remote), 17, 40000, 5000)));
        Assert.That(e.Policy with { Current = null, Index = 0 }, Is.EqualTo(V4TransportPolicy));
        Assert.That(e.Sequence, Is.Not.Zero);
    }

    [Test]
    public void DeletedLarvalSa()
    {
        var e = (SaDeletedEvent)Decode(17, KernelNotificationCaptures.DelSaLarval)!;
        Assert.That(e.Sa.Id, Is.EqualTo(new SaId(Local, Remote, IpsecProtocol.Esp, 0x5000)));
        Assert.That((e.Sa.Encryption, e.Sa.Mode), Is.EqualTo(((SaAlgorithm?)null, IpsecMode.Transport)));
    }

    [Test]
    public void HardExpireOfALarvalSa()
    {
        var e = (SaExpiredEvent)Decode(24, KernelNotificationCaptures.ExpireLarvalAh)!;
        Assert.That((e.Sa.Id, e.Hard), Is.EqualTo((new SaId(Local, Remote, IpsecProtocol.Ah, 0x7000), true)));
    }

    [Test]
    public void PolicyExpireSoftThenHard()
    {
        var soft = (PolicyExpiredEvent)Decode(27, KernelNotificationCaptures.PolExpireSoft)!;
        var hard = (PolicyExpiredEvent)Decode(27, KernelNotificationCaptures.PolExpireHard)!;
        Assert.That((soft.Hard, hard.Hard), Is.EqualTo((false, true)));
        Assert.That(hard.Policy.Lifetime, Is.EqualTo(new Lifetime(new LifetimeLimits(AddSeconds: 1), new LifetimeLimits(AddSeconds: 2))));
        Assert.That((hard.Policy.Direction, hard.Policy.Action), Is.EqualTo((PolicyDirection.Fwd, PolicyAction.Block)));
    }

    [Test]
    public void Flushes()
    {
        Assert.That(Decode(28, KernelNotificationCaptures.FlushSaEsp), Is.EqualTo(new SasFlushedEvent(IpsecProtocol.Esp)));
        Assert.That(Decode(29, KernelNotificationCaptures.FlushPolicy), Is.EqualTo(new PoliciesFlushedEvent()));
    }

    [Test]
    public void UnrelatedMessageTypesAreNotEvents() => Assert.That(Decode(31, ""), Is.Null);

    [Test]
    public void TruncatedNotificationNamesTheStruct()
    {
        var e = Assert.Throws<NetlinkFormatException>(() => Decode(23, KernelNotificationCaptures.Acquire[..100]));
        Assert.That(e!.Message, Is.EqualTo("malformed netlink message: xfrm_user_acquire needs 280 bytes, message body has 50"));
    }

    [Test]
    public void AttributeRunningPastTheMessageIsRejected()
    {
        // The DELSA notification with its first attribute's nla_len inflated.
        var bytes = Convert.FromHexString(KernelNotificationCaptures.DelSaLarval);
        bytes[24] = 0xff;
        bytes[25] = 0x0f;
        Assert.That(() => XfrmDecoder.Event(17, bytes), Throws.TypeOf<NetlinkFormatException>().With.Message.Contains("nla_len 4095 beyond the message"));
    }

    [Test]
    public void DatagramWithBadLengthIsRejected()
    {
        var datagram = new byte[20];
        BitConverter.TryWriteBytes(datagram, 400);
        Assert.That(() =>
        {
            ReadOnlySpan<byte> span = datagram;
            NetlinkMessage.TryRead(ref span, out _);
        }, Throws.TypeOf<NetlinkFormatException>().With.Message.Contains("nlmsg_len 400 is outside the 20 bytes received"));
    }
}
