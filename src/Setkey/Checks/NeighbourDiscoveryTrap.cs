using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Commands;

namespace KernelIpsec.Setkey.Checks;

/// <summary>
/// The classic IPv6 deadlock: an IPsec policy over IPv6 that also matches ICMPv6 neighbour discovery
/// (<c>spdadd ::/0 ::/0 any -P out ipsec esp/transport//require;</c>) makes resolving the peer's link-layer
/// address need an SA, the SA needs IKE, and IKE needs the neighbour resolved: nothing ever starts. A policy is a
/// trap when it is IPv6, in or out, requires an SA (level require or unique: a <c>use</c> template lets the packet
/// go in the clear), and matches ICMPv6 type 135 (solicitation) or 136 (advertisement), unless an earlier policy of
/// the same script, or one of a better priority, lets that type through for all of its addresses.
/// </summary>
public static class NeighbourDiscoveryTrap
{
    /// <summary>ICMPv6 neighbour solicitation and advertisement (RFC 4861 4.3, 4.4).</summary>
    public static readonly byte[] NeighbourDiscoveryTypes = [135, 136];

    /// <summary>ICMPv6, next header 58.</summary>
    public const byte Icmpv6 = 58;

    /// <summary>
    /// One warning per trapping policy of <paramref name="commands"/>, naming the bypass policies that lift it;
    /// <paramref name="earlier"/> holds the policies added before them (setkey -c's previous statements).
    /// </summary>
    public static IEnumerable<(KernelCommand Command, string Warning)> Find(IReadOnlyList<SecurityPolicy> earlier, IReadOnlyList<KernelCommand> commands)
    {
        var policies = earlier.Concat(commands.OfType<AddPolicyCommand>().Select(c => c.Policy)).ToList();
        var index = earlier.Count - 1;
        foreach (var command in commands.OfType<AddPolicyCommand>())
        {
            var policy = command.Policy;
            index++;
            var trapped = NeighbourDiscoveryTypes.Where(t => Traps(policy, t) && !LetThrough(policies, index, policy, t)).ToList();
            if (trapped.Count == 0)
                continue;
            var direction = policy.Direction == PolicyDirection.Out ? "out" : "in";
            var bypass = string.Join(" ", trapped.Select(t => $"spdadd ::/0 ::/0 icmp6 {t},0 -P {direction} prio high none;"));
            yield return (command, $"warning: this policy also covers IPv6 neighbour discovery (ICMPv6 {string.Join(" and ", trapped)}): "
                + $"resolving the peer's address then needs an SA, and negotiating the SA needs the address resolved; add before it: {bypass}");
        }
    }

    /// <summary>Whether <paramref name="policy"/> sends ICMPv6 <paramref name="type"/> to the SA it requires.</summary>
    public static bool Traps(SecurityPolicy policy, byte type) =>
        policy.Selector.Family == AddressFamily.InterNetworkV6
        && policy.Direction is PolicyDirection.In or PolicyDirection.Out
        && policy.Action == PolicyAction.Allow
        && policy.Requests.Any(r => r.Level != IpsecLevel.Use)
        && Matches(policy.Selector, type);

    private static bool Matches(Selector selector, byte type) =>
        selector.UpperProtocol is null
        || (selector.UpperProtocol == Icmpv6 && (selector.SourcePort == 0 || selector.SourcePort == type));

    /// <summary>An earlier policy (or one the kernel prefers by priority) passes <paramref name="type"/> in the clear for all the trap's addresses.</summary>
    private static bool LetThrough(List<SecurityPolicy> policies, int index, SecurityPolicy trap, byte type) =>
        policies.Where((p, i) => p.Direction == trap.Direction && (p.Priority < trap.Priority || (p.Priority == trap.Priority && i < index)))
            .Any(p => p.Requests.Count == 0 && p.Action == PolicyAction.Allow
                && p.Selector.Family == AddressFamily.InterNetworkV6
                && Matches(p.Selector, type) && p.Selector.UpperProtocol is not null
                && Covers(p.Selector.Source, trap.Selector.Source) && Covers(p.Selector.Destination, trap.Selector.Destination));

    private static bool Covers(AddressPrefix outer, AddressPrefix inner) =>
        outer.PrefixLength <= inner.PrefixLength && new IPNetwork(Masked(outer), outer.PrefixLength).Contains(inner.Address);

    private static IPAddress Masked(AddressPrefix prefix)
    {
        var bytes = prefix.Address.GetAddressBytes();
        for (var bit = prefix.PrefixLength; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPAddress(bytes);
    }
}
