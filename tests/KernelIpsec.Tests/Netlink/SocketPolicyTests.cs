using System.Net.Sockets;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink;

/// <summary>What each backend sets on a daemon's socket for the IPsec bypass, and what it says it can do.</summary>
[TestFixture, Category(Tier.Unit)]
public class SocketPolicyTests
{
    [Test]
    public void XfrmBypassIsXfrmUserpolicyInfoWithActionAllow()
    {
        var bytes = XfrmSocketPolicy.Encode(AddressFamily.InterNetwork, PolicyDirection.Out);
        var expected = new byte[168];
        expected[40] = 2; // sel.family AF_INET
        for (var i = 56; i < 88; i++)
            expected[i] = 0xff; // soft/hard byte and packet limits: XFRM_INF
        expected[160] = 1; // dir out
        expected[161] = 0; // action allow
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [Test]
    public void XfrmBypassForIpv6CarriesAfInet6AndDirectionIn()
    {
        var bytes = XfrmSocketPolicy.Encode(AddressFamily.InterNetworkV6, PolicyDirection.In);
        Assert.That(bytes, Has.Length.EqualTo(168));
        Assert.That((bytes[40], bytes[41], bytes[160], bytes[161]), Is.EqualTo(((byte)10, (byte)0, (byte)0, (byte)0)));
    }

    [Test]
    public void PfKeyBypassIsSadbXPolicyOfTypeBypass()
    {
        // len 2 (x 8 bytes), SADB_X_EXT_POLICY 18, IPSEC_POLICY_BYPASS 4, IPSEC_DIR_OUTBOUND 2, reserved, id 0, priority 0
        Assert.That(Convert.ToHexString(PfKeySocketPolicy.Encode(PfKeyConstants.IPSEC_DIR_OUTBOUND)), Is.EqualTo("02001200040002000000000000000000"));
        Assert.That(Convert.ToHexString(PfKeySocketPolicy.Encode(PfKeyConstants.IPSEC_DIR_INBOUND)), Is.EqualTo("02001200040001000000000000000000"));
    }

    [Test]
    public void OnlyPfKeyShortensTheSha256Icv()
    {
        var sha256 = AlgorithmRegistry.FromIkeId(AlgorithmKind.Authentication, 5)!;
        var sha1 = AlgorithmRegistry.FromIkeId(AlgorithmKind.Authentication, 2)!;
        Assert.Multiple(() =>
        {
            Assert.That(KernelCapabilities.Xfrm.IcvBitsFor(sha256), Is.EqualTo(128));
            Assert.That(KernelCapabilities.PfKey.IcvBitsFor(sha256), Is.EqualTo(96));
            Assert.That(KernelCapabilities.PfKey.ShortensIcv(sha256), Is.True);
            Assert.That(KernelCapabilities.PfKey.ShortensIcv(sha1), Is.False);
            Assert.That(KernelCapabilities.Xfrm.ShortensIcv(sha256), Is.False);
        });
    }

    [Test]
    public void InMemoryKernelStandsInForEitherBackendButSpeaksNoPfKey()
    {
        var kernel = new InMemoryKernel(capabilities: KernelCapabilities.PfKey);
        Assert.That((kernel.Capabilities.SaSelectors, kernel.Capabilities.ChoosesIcvLength, kernel.Capabilities.PfKeyTraffic, kernel.Capabilities.PromiscuousMonitor),
            Is.EqualTo((false, false, false, false)));
        Assert.That(() => kernel.SubscribePromiscuous(), Throws.TypeOf<NotSupportedException>());
        Assert.That(new InMemoryKernel().Capabilities, Is.EqualTo(KernelCapabilities.Xfrm));
    }
}
