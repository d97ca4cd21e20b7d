using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

[TestFixture, Category(Tier.Unit)]
public class MainModePskTests
{
    /// <summary>
    /// Both sides hold the same pair of SAs: left's inbound is right's outbound with the same SPI and keys, and the
    /// reverse, with the negotiated algorithms; each side logged racoon's lines.
    /// </summary>
    internal static void AssertMatchingSas(EnginePair pair, IpsecSaProtocol protocol, IpsecSaMode mode, int transformId, int keyBits, int auth)
    {
        var l = pair.Left.Installed.Single(p => p.Protocol == protocol);
        var r = pair.Right.Installed.Single(p => p.Protocol == protocol);
        Assert.Multiple(() =>
        {
            Assert.That(l.InboundSpi, Is.EqualTo(r.OutboundSpi), "left inbound SPI = right outbound SPI");
            Assert.That(r.InboundSpi, Is.EqualTo(l.OutboundSpi), "right inbound SPI = left outbound SPI");
            Assert.That(l.InboundKeys.Encryption, Is.EqualTo(r.OutboundKeys.Encryption), "KEYMAT right->left encryption");
            Assert.That(l.InboundKeys.Authentication, Is.EqualTo(r.OutboundKeys.Authentication), "KEYMAT right->left authentication");
            Assert.That(r.InboundKeys.Encryption, Is.EqualTo(l.OutboundKeys.Encryption), "KEYMAT left->right encryption");
            Assert.That(r.InboundKeys.Authentication, Is.EqualTo(l.OutboundKeys.Authentication), "KEYMAT left->right authentication");
            Assert.That(l.InboundKeys.Encryption.Concat(l.InboundKeys.Authentication), Is.Not.EqualTo(l.OutboundKeys.Encryption.Concat(l.OutboundKeys.Authentication)), "each direction has its own key");
            Assert.That(l.Mode, Is.EqualTo(mode));
            Assert.That(r.Mode, Is.EqualTo(mode));
            Assert.That(l.TransformId, Is.EqualTo(transformId));
            Assert.That(r.TransformId, Is.EqualTo(transformId));
            Assert.That(l.KeyLengthBits, Is.EqualTo(keyBits));
            Assert.That(l.AuthenticationAlgorithm, Is.EqualTo(auth));
            Assert.That(l.InboundKeys.Encryption, Has.Length.EqualTo(keyBits / 8));
            Assert.That(l.LocalAddress, Is.EqualTo(pair.Left.Address));
            Assert.That(l.RemoteAddress, Is.EqualTo(pair.Right.Address));
            Assert.That(r.LocalAddress, Is.EqualTo(pair.Right.Address));
        });
    }

    [Test]
    public void Psk_3des_sha1_modp1024_with_pfs_transport_installs_matching_sas_and_logs_like_racoon()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair();

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
        Assert.That(pair.Left.Installed[0].InboundKeys.Authentication, Has.Length.EqualTo(20));
        Assert.That(pair.Left.Installed[0].Lifetime.Seconds, Is.EqualTo(3600UL));
        Assert.That(pair.Left.Failures, Is.Empty, pair.Left.Log.ToString());
        Assert.That(pair.Right.Failures, Is.Empty, pair.Right.Log.ToString());
        var l = pair.Left.Installed[0];
        var left = pair.Left.Log;
        Assert.Multiple(() =>
        {
            Assert.That(left.Contains("INFO: IPsec-SA request for 10.77.0.2 queued due to no phase1 found."), left.ToString());
            Assert.That(left.Contains("INFO: initiate new phase 1 negotiation: 10.77.0.1[500]<=>10.77.0.2[500]"), left.ToString());
            Assert.That(left.Contains("INFO: begin Identity Protection mode."), left.ToString());
            Assert.That(left.Lines.Any(x => x.StartsWith("INFO: ISAKMP-SA established 10.77.0.1[500]-10.77.0.2[500] spi:", StringComparison.Ordinal)), left.ToString());
            Assert.That(left.Contains("INFO: initiate new phase 2 negotiation: 10.77.0.1[500]<=>10.77.0.2[500]"), left.ToString());
            Assert.That(left.Contains($"INFO: IPsec-SA established: ESP/Transport 10.77.0.2[0]->10.77.0.1[0] spi={l.InboundSpi}(0x{l.InboundSpi:x})"), left.ToString());
            Assert.That(left.Contains($"INFO: IPsec-SA established: ESP/Transport 10.77.0.1[0]->10.77.0.2[0] spi={l.OutboundSpi}(0x{l.OutboundSpi:x})"), left.ToString());
            Assert.That(pair.Right.Log.Contains("INFO: respond new phase 1 negotiation: 10.77.0.2[500]<=>10.77.0.1[500]"), pair.Right.Log.ToString());
            Assert.That(pair.Right.Log.Contains("INFO: respond new phase 2 negotiation: 10.77.0.2[500]<=>10.77.0.1[500]"), pair.Right.Log.ToString());
            Assert.That(pair.Left.Phase1Ups, Has.Count.EqualTo(1));
            Assert.That(pair.Right.Phase1Ups, Has.Count.EqualTo(1));
            Assert.That(pair.Left.Log.ToString() + pair.Right.Log, Does.Not.Contain(Scenario.Psk), "the pre-shared key is never logged");
        });
    }
}

[TestFixture, Category(Tier.Unit)]
public class Ipv6Tests
{
    [TestCase(false)]
    [TestCase(true)]
    public void Main_mode_and_quick_mode_work_over_ipv6(bool tunnel)
    {
        var scenario = new Scenario { Left = System.Net.IPAddress.Parse("fd77::1"), Right = System.Net.IPAddress.Parse("fd77::2"), Tunnel = tunnel };
        using var pair = scenario.CreatePair();

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, tunnel ? IpsecSaMode.Tunnel : IpsecSaMode.Transport, 3, 192, 2);
        Assert.That(pair.Left.Log.Lines.Any(l => l.StartsWith("INFO: ISAKMP-SA established fd77::1[500]-fd77::2[500] spi:", StringComparison.Ordinal)), pair.Left.Log.ToString());
        Assert.That(pair.Left.Installed[0].RemoteSelector.ToString(), Is.EqualTo(tunnel ? "fd77:2::/64[any] any" : "fd77::2/128[any] any"));
    }
}
