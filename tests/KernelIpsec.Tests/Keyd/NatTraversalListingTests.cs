using System.Net;
using KernelIpsec.Keyd.Admin;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Setkey.Dump;
using KernelIpsec.Setkey.Names;
using KernelIpsec.Tests.Infrastructure;
using KernelIpsec.Tests.Setkey;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>
/// racoonctl show-sa for NAT-T: ISAKMP SAs print the peer's floated port as racoonctl's <c>addr.port</c>, IPsec SAs as
/// setkey -D prints them (racoonctl renders racoon's raw SADB_DUMP with pfkey_sadump): <c>addr[port]</c>,
/// <c>esp-udp</c>, <c>NAT OA=</c>.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class NatTraversalListingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 49, 59, TimeSpan.Zero);

    private static SecurityAssociation NattTunnelSa() => new(IPAddress.Parse("203.0.113.5"), IPAddress.Parse("198.51.100.7"), IpsecProtocol.Esp, 0x0c5a3e21)
    {
        Mode = IpsecMode.Tunnel,
        ReqId = 16385,
        ReplayWindow = 4,
        Encryption = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc"), Convert.FromHexString("00112233445566778899aabbccddeeff")),
        Authentication = new SaAlgorithm(AlgorithmRegistry.Get(AlgorithmKind.Authentication, "hmac-sha256"), new byte[32]),
        Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 2880), new LifetimeLimits(AddSeconds: 3600)),
        NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 31000, IPAddress.Parse("192.168.1.20")),
        Current = new LifetimeCurrent(0, 0, Now.AddSeconds(-60), null),
    };

    [Test]
    public void AnEncapsulatedSaShowsItsPortsEspUdpAndTheOriginalAddress()
    {
        var text = SadListing.Render([NattTunnelSa()], Now, TimeZoneInfo.Utc, 4242);

        Assert.That(text.Split('\n')[..3], Is.EqualTo(new[]
        {
            "203.0.113.5[4500] 198.51.100.7[31000] ",
            "\tesp-udp mode=tunnel spi=207240737(0x0c5a3e21) reqid=16385(0x00004001)",
            "\tNAT OA=192.168.1.20",
        }));
    }

    [Test]
    public void TheListingIsWhatSetkeyDashDPrintsForTheSameSas()
    {
        var plain = NattTunnelSa() with { Id = new SaId(IPAddress.Parse("198.51.100.7"), IPAddress.Parse("203.0.113.5"), IpsecProtocol.Esp, 0x1000), NatTraversal = null };
        var withoutOa = NattTunnelSa() with { NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 31000, 4500) };
        SecurityAssociation[] sas = [NattTunnelSa(), withoutOa, plain];
        var setkey = new DumpFormatter(new DumpOptions(false, ProtocolNames.BuiltIn, new FixedTime(Now), TimeZoneInfo.Utc, 4242));

        Assert.That(SadListing.Render(sas, Now, TimeZoneInfo.Utc, 4242), Is.EqualTo(setkey.FormatSas(sas)));
    }

    [Test]
    public void AnIsakmpSaThatFloatedShowsTheNattPorts()
    {
        var floated = new Ph1Dump(0xbfd277014e93fa5c, 0x1122334455667788, 9, Ph1Dump.SideInitiator,
            new IPEndPoint(IPAddress.Parse("198.51.100.7"), 31000), new IPEndPoint(IPAddress.Parse("192.168.1.20"), 4500), 0x10, 2, 0, 1);

        Assert.That(RacoonctlFormat.Isakmp([floated], 2, TimeZoneInfo.Utc).Split('\n')[1],
            Does.StartWith("192.168.1.20.4500".PadRight(45) + " " + "198.51.100.7.31000".PadRight(45) + " bfd277014e93fa5c:1122334455667788"));
    }
}
