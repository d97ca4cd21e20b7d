using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Netlink;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>What a negotiated transport pair becomes for each kernel interface.</summary>
[TestFixture, Category(Tier.Unit)]
public class KernelTranslationPfKeyTests
{
    private static readonly IPAddress Left = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Right = IPAddress.Parse("10.77.0.2");

    private static IpsecSaPair TransportPair() =>
        new(IpsecSaProtocol.Esp, IpsecSaMode.Transport, Left, Right, 0x1000, 0x7000, 3, 0, 2,
            new SaKeys(new byte[24], new byte[20]), new SaKeys(new byte[24], new byte[20]), new IpsecLifetime(600, 0), 3,
            TrafficSelector.Host(Left), TrafficSelector.Host(Right));

    [Test]
    public void XfrmBindsTransportSasToTheirTraffic()
    {
        var (inbound, outbound) = KernelTranslation.ToKernel(TransportPair(), KernelCapabilities.Xfrm);
        Assert.That(inbound.Selector, Is.Not.Null);
        Assert.That(outbound.Selector, Is.Not.Null);
    }

    [Test]
    public void PfKeyGetsNoSaSelectorSinceItCannotCarryOne()
    {
        // Seen in the VM: with --kernel pfkey every install failed with "PF_KEY cannot carry an SA selector".
        var (inbound, outbound) = KernelTranslation.ToKernel(TransportPair(), KernelCapabilities.PfKey);
        Assert.That(inbound.Selector, Is.Null);
        Assert.That(outbound.Selector, Is.Null);
    }
}
