using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

[TestFixture, Category(Tier.Unit)]
public class SpdMirrorTests
{
    private static SecurityPolicy Policy(string src, string dst, PolicyDirection dir, uint reqid = 0, uint index = 0) =>
        new(new Selector(AddressPrefix.Parse(src), AddressPrefix.Parse(dst)), dir, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Require, reqid)])
        { Index = index };

    private static TrafficSelector Ts(string cidr) => new(IPNetwork.Parse(cidr), 0, 0);

    [Test]
    public void ExactOutboundPolicyIsFoundWithItsTemplates()
    {
        var spd = new SpdMirror();
        spd.Reset([Policy("10.77.0.1/32", "10.77.0.2/32", PolicyDirection.Out, reqid: 5, index: 9), Policy("10.77.0.2/32", "10.77.0.1/32", PolicyDirection.In)]);
        var found = spd.FindOutbound(Ts("10.77.0.1/32"), Ts("10.77.0.2/32"));
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Index, Is.EqualTo(9));
        Assert.That(found.Templates.Single(), Is.EqualTo(new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 5)));
        Assert.That(spd.FindOutbound(Ts("10.77.0.2/32"), Ts("10.77.0.1/32")), Is.Null, "the inbound policy is not an outbound one");
    }

    [Test]
    public void MostSpecificContainingPolicyWinsWhenNoneIsExact()
    {
        var spd = new SpdMirror();
        spd.Reset([Policy("10.77.0.0/16", "10.77.0.0/16", PolicyDirection.Out, index: 1), Policy("10.77.1.0/24", "10.77.2.0/24", PolicyDirection.Out, index: 2)]);
        Assert.That(spd.FindOutbound(Ts("10.77.1.5/32"), Ts("10.77.2.6/32"))!.Index, Is.EqualTo(2));
        Assert.That(spd.FindOutbound(Ts("10.77.3.5/32"), Ts("10.77.2.6/32"))!.Index, Is.EqualTo(1));
        Assert.That(spd.FindOutbound(Ts("192.0.2.1/32"), Ts("10.77.2.6/32")), Is.Null);
    }

    [Test]
    public void PolicyEventsKeepTheMirrorCurrent()
    {
        var spd = new SpdMirror();
        var p = Policy("10.77.0.1/32", "10.77.0.2/32", PolicyDirection.Out);
        Assert.That(spd.Apply(new PolicyAddedEvent(p)), Is.True);
        Assert.That(spd.Count, Is.EqualTo(1));
        spd.Apply(new PolicyDeletedEvent(p));
        Assert.That(spd.Count, Is.Zero);
        spd.Apply(new PolicyAddedEvent(p));
        spd.Apply(new PoliciesFlushedEvent());
        Assert.That(spd.Count, Is.Zero);
        Assert.That(spd.Apply(new SasFlushedEvent(null)), Is.False);
    }
}
