using System.Globalization;

namespace KernelIpsec.Tests.Infrastructure;

/// <summary>
/// The NAT topologies (RFC 3947 tests), as in the shared interop rig's netns.sh:
/// <code>
/// nat:  [left] veth-l 10.77.3.1/24 -- nat-in 10.77.3.254 [natbox] nat-out 10.77.0.3/24 -- veth-r 10.77.0.2/24 [right]
/// natr: [left] veth-l 10.77.0.1/24 -- nat-out 10.77.0.3/24 [natbox] nat-in 10.77.4.254 -- veth-r 10.77.4.2/24 [right]
/// </code>
/// natbox masquerades what leaves nat-out (nftables: SNAT to 10.77.0.3, source ports kept while free, as
/// Linux and most home routers do) and forwards nothing unsolicited inwards, except in natr, where UDP
/// 500 and 4500 arriving at 10.77.0.3 go to right (a responder behind a router). A capture on natbox's
/// nat-out sees exactly the public wire: after SNAT on the way out, before un-NAT on the way in, and
/// never a decrypted packet (natbox does no IPsec). IPv6 is off in all three namespaces.
/// </summary>
public sealed partial class NetnsPair
{
    public const string NatPublicAddress = "10.77.0.3";
    public const string LeftPrivateAddress = "10.77.3.1";
    public const string RightPrivateAddress = "10.77.4.2";
    public const string NatLeftGateway = "10.77.3.254";
    public const string NatRightGateway = "10.77.4.254";

    /// <summary>natbox's device on the public side: where <see cref="NatPublicAddress"/> lives and the wire is captured.</summary>
    public const string NatPublicDevice = "nat-out";

    private const string NatTable = "kinat";

    private static NetnsPair CreateBehindNat(NatSide side)
    {
        var left = TestNetns.Create("kil");
        var right = TestNetns.Create("kir");
        var natbox = TestNetns.Create("kin");
        try
        {
            foreach (var ns in new[] { left, right, natbox })
                ns.Exec("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
            var behindLeft = side == NatSide.Left;
            var (inner, innerDev, outer, outerDev) = behindLeft ? (left, "veth-l", right, "veth-r") : (right, "veth-r", left, "veth-l");
            var (innerIp, gateway) = behindLeft ? (LeftPrivateAddress, NatLeftGateway) : (RightPrivateAddress, NatRightGateway);
            var outerIp = behindLeft ? RightAddress : LeftAddress;

            Shell.Run("ip", $"link add {innerDev} netns {inner.Name} type veth peer name nat-in netns {natbox.Name}");
            Shell.Run("ip", $"link add {outerDev} netns {outer.Name} type veth peer name {NatPublicDevice} netns {natbox.Name}");
            foreach (var (ns, dev, address) in new[] { (inner, innerDev, innerIp), (natbox, "nat-in", gateway), (natbox, NatPublicDevice, NatPublicAddress), (outer, outerDev, outerIp) })
            {
                ns.Exec($"ip addr add {address}/24 dev {dev}");
                ns.Exec($"ip link set {dev} up");
            }
            inner.Exec($"ip route add default via {gateway}");
            natbox.Exec("sysctl -qw net.ipv4.ip_forward=1");
            // natr: the port forward a responder behind a router needs for IKE (500) and NAT-T (4500).
            var forward = behindLeft
                ? ""
                : $"chain pre {{ type nat hook prerouting priority dstnat; policy accept; iifname \"{NatPublicDevice}\" udp dport {{ 500, 4500 }} dnat to {innerIp}; }}";
            natbox.Exec("nft -f -", stdin:
                $"table ip {NatTable} {{\n" +
                $"  chain post {{ type nat hook postrouting priority srcnat; policy accept; oifname \"{NatPublicDevice}\" masquerade; }}\n" +
                $"  {forward}\n}}\n");
            return new NetnsPair(left, right, natbox, side);
        }
        catch
        {
            left.Dispose();
            right.Dispose();
            natbox.Dispose();
            throw;
        }
    }

    private TestNetns RequireNatbox => Natbox ?? throw new InvalidOperationException("this pair has no NAT (create it with NetnsPair.Create(NatSide))");

    /// <summary>Forgets every NAT mapping (conntrack -F): the next packet out gets a fresh one.</summary>
    public void FlushNatMappings() => RequireNatbox.Exec("conntrack -F");

    /// <summary>
    /// natbox's UDP mapping lifetimes (nf_conntrack_udp_timeout for a flow seen one way,
    /// _stream once it saw both ways), per network namespace; Linux's defaults are 30 s and 120 s.
    /// </summary>
    public void SetNatUdpTimeouts(TimeSpan udp, TimeSpan stream) =>
        RequireNatbox.Exec("sysctl -qw " +
            $"net.netfilter.nf_conntrack_udp_timeout={(int)udp.TotalSeconds} " +
            $"net.netfilter.nf_conntrack_udp_timeout_stream={(int)stream.TotalSeconds}");

    /// <summary>
    /// From now on UDP leaves natbox with a source port in [first, last] (`masquerade to :first-last`),
    /// as a NAT that rebinds would; together with <see cref="FlushNatMappings"/> the NATed side's next
    /// datagram appears from a new port. Other protocols are still masqueraded without a port range.
    /// </summary>
    public void MasqueradeUdpToPorts(int first, int last)
    {
        var natbox = RequireNatbox;
        natbox.Exec($"nft flush chain ip {NatTable} post");
        natbox.Exec($"nft add rule ip {NatTable} post oifname {NatPublicDevice} meta l4proto udp masquerade to :{first.ToString(CultureInfo.InvariantCulture)}-{last.ToString(CultureInfo.InvariantCulture)}");
        natbox.Exec($"nft add rule ip {NatTable} post oifname {NatPublicDevice} masquerade");
    }

    /// <summary>natbox's UDP mappings as `conntrack -L -p udp` lists them (with the seconds each has left).</summary>
    public string NatMappings() => RequireNatbox.TryExec("conntrack -L -p udp").StdOut;
}
