using System.Text.RegularExpressions;
using KernelIpsec.Tests.EndToEnd;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Interop;

/// <summary>The NAT traversal checks (RFC 3947/3948): what the kernels hold and what the public wire carries.</summary>
public static partial class InteropChecks
{
    /// <summary>One ESP SA of `ip xfrm state`: its SPI and, when UDP-encapsulated, the ports.</summary>
    public sealed record EspSaEncapsulation(string Spi, string Source, string Destination, int? SourcePort, int? DestinationPort);

    /// <summary>The ESP SAs of a namespace (larval SPI-0 states left out) with their `encap type espinudp` ports.</summary>
    public static IReadOnlyList<EspSaEncapsulation> EspEncapsulations(TestNetns ns)
    {
        var result = new List<EspSaEncapsulation>();
        var text = ns.TryExec("ip xfrm state").StdOut;
        foreach (var block in Regex.Split(text, @"^(?=src )", RegexOptions.Multiline))
        {
            var esp = EspSpi().Match(block);
            var addresses = SaAddresses().Match(block);
            if (!esp.Success || !addresses.Success || esp.Groups[1].Value == "0x00000000")
                continue;
            var encap = EspInUdp().Match(block);
            result.Add(new EspSaEncapsulation(esp.Groups[1].Value, addresses.Groups[1].Value, addresses.Groups[2].Value,
                encap.Success ? int.Parse(encap.Groups[1].Value) : null, encap.Success ? int.Parse(encap.Groups[2].Value) : null));
        }
        return result;
    }

    /// <summary>
    /// Check 6 of the shared rig: every ESP SA on both sides is `encap type espinudp`, and the side behind
    /// the NAT sends and receives on 4500 at both ends (its own port and the peer's, which natbox does not move).
    /// </summary>
    public static void AssertUdpEncapsulated(NetnsPair pair)
    {
        Assert.That(pair.Nat, Is.Not.EqualTo(NatSide.None), "a NAT topology");
        foreach (var (ns, behindNat) in new[] { (pair.Left, pair.Nat == NatSide.Left), (pair.Right, pair.Nat == NatSide.Right) })
        {
            var sas = EspEncapsulations(ns);
            var sad = ns.TryExec("ip xfrm state").StdOut;
            Assert.That(sas, Is.Not.Empty, $"ESP SAs in {ns.Name}");
            Assert.That(sas.Where(s => s.SourcePort == null).Select(s => s.Spi), Is.Empty,
                $"ESP SAs in {ns.Name} without UDP encapsulation (NAT-T not negotiated?):\n{sad}");
            if (behindNat)
            {
                Assert.That(sas.Where(s => s.SourcePort != 4500 || s.DestinationPort != 4500).Select(s => s.Spi), Is.Empty,
                    $"the side behind the NAT ({ns.Name}) must use 4500 <-> 4500:\n{sad}");
            }
        }
    }

    /// <summary>
    /// Check 7 of the shared rig, on natbox's public side: ESP only inside UDP 4500, no plain ESP
    /// (IP protocol 50), IKE floated to 4500 (the non-ESP marker: four zero bytes where an SPI would
    /// be), no private address past natbox, no plaintext ping or test datagram.
    /// </summary>
    public static void AssertNatWire(WireCapture wire)
    {
        var text = wire.StopAndRead();
        // UDP length > 12 skips the 1-byte NAT keepalives, whose "SPI" would read past the datagram.
        var espInUdp = wire.Count("udp port 4500 and udp[4:2] > 12 and udp[8:4] != 0");
        var plainEsp = wire.Count("ip proto 50");
        var ikeOn4500 = wire.Count("udp port 4500 and udp[4:2] > 12 and udp[8:4] = 0");
        var leaked = wire.Count("net 10.77.3.0/24 or net 10.77.4.0/24");
        var plaintext = wire.Count("icmp[icmptype] = icmp-echo or icmp[icmptype] = icmp-echoreply or udp port 9");
        Assert.Multiple(() =>
        {
            Assert.That(espInUdp, Is.GreaterThan(0), "ESP in UDP 4500 on the public wire:\n" + text);
            Assert.That(plainEsp, Is.Zero, "plain ESP (IP protocol 50) on the public wire:\n" + text);
            Assert.That(ikeOn4500, Is.GreaterThan(0), "IKE on UDP 4500 (non-ESP marker) on the public wire:\n" + text);
            Assert.That(leaked, Is.Zero, "packets with a private address past natbox:\n" + text);
            Assert.That(plaintext, Is.Zero, "plaintext ping or test datagrams on the public wire:\n" + text);
        });
    }

    /// <summary>A capture of the public side of the NAT (natbox's nat-out), started before any IKE.</summary>
    public static WireCapture CapturePublicWire(NetnsPair pair, string pcapPath) =>
        WireCapture.Start(pair.Natbox ?? throw new InvalidOperationException("no natbox"), NetnsPair.NatPublicDevice, pcapPath, "");

    /// <summary>
    /// After natbox moved the NATed peer to a source port in [first, last]: waits until every ESP SA
    /// in <paramref name="publicSide"/> that sends to the NAT has its encapsulation destination port
    /// there (the daemon followed the kernel's mapping event), and returns that port.
    /// </summary>
    public static int WaitForSasToFollowMapping(TestNetns publicSide, int first, int last, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var outbound = EspEncapsulations(publicSide).Where(s => s.Destination == NetnsPair.NatPublicAddress).ToList();
            if (outbound.Count > 0 && outbound.All(s => s.DestinationPort >= first && s.DestinationPort <= last))
                return outbound[0].DestinationPort!.Value;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the SAs in {publicSide.Name} towards {NetnsPair.NatPublicAddress} do not use the new NAT port {first}-{last} " +
                            $"after {timeout.TotalSeconds} s (the mapping change was not followed):\n{publicSide.TryExec("ip xfrm state").StdOut}");
            }
            Thread.Sleep(250);
        }
    }

    /// <summary>NAT keepalives (RFC 3948 section 2.3: one 0xFF byte to UDP 4500) the side behind the NAT sent out of natbox.</summary>
    public static int NatKeepalives(WireCapture wire) =>
        wire.Count($"src host {NetnsPair.NatPublicAddress} and udp port 4500 and udp[4:2] = 9 and udp[8] = 0xff");

    /// <summary>The remaining lifetime in seconds of every natbox UDP mapping of port 4500 (`conntrack -L`).</summary>
    public static IReadOnlyList<int> NatT4500MappingLifetimes(NetnsPair pair) =>
        ConntrackUdp().Matches(pair.NatMappings()).Where(m => m.Value.Contains("sport=4500", StringComparison.Ordinal))
            .Select(m => int.Parse(m.Groups[1].Value)).ToList();

    [GeneratedRegex(@"^udp\s+17\s+(\d+)\s.*$", RegexOptions.Multiline)]
    private static partial Regex ConntrackUdp();

    [GeneratedRegex(@"^src (\S+) dst (\S+)", RegexOptions.Multiline)]
    private static partial Regex SaAddresses();

    [GeneratedRegex(@"encap type espinudp sport (\d+) dport (\d+)")]
    private static partial Regex EspInUdp();
}
