using System.Net.Sockets;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Daemon;

// The IPv6 deadlock seen from the daemon: an ACQUIRE whose trigger is a neighbour solicitation or advertisement
// means a policy sends ND to an SA; the SA needs IKE and IKE needs ND, so the negotiation cannot start. racoon
// says nothing and waits; we say which policy and which bypass lifts it, once per policy.
public sealed partial class KeyDaemon
{
    private const byte Icmpv6 = 58;

    private readonly HashSet<string> neighbourDiscoveryWarned = [];

    private void WarnIfNeighbourDiscovery(AcquireEvent acquire)
    {
        var trigger = acquire.Trigger;
        if (trigger.Family != AddressFamily.InterNetworkV6 || trigger.UpperProtocol != Icmpv6 || trigger.SourcePort is not (135 or 136))
            return;
        var policy = acquire.Policy.Selector;
        if (!neighbourDiscoveryWarned.Add($"{policy} {acquire.Policy.Direction}"))
            return;
        LogNeighbourDiscoveryTrap(logger, trigger.SourcePort, policy, acquire.Policy.Direction == PolicyDirection.In ? "in" : "out");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ICMPv6 neighbour discovery (type {Type}) needs an SA under the policy {Policy}: the peer's address cannot be resolved "
        + "before IKE, and IKE needs it resolved, so the negotiation cannot start; bypass ND before that policy, e.g. "
        + "`spdadd ::/0 ::/0 icmp6 135,0 -P {Direction} prio high none; spdadd ::/0 ::/0 icmp6 136,0 -P {Direction} prio high none;`")]
    private static partial void LogNeighbourDiscoveryTrap(ILogger logger, ushort type, Selector policy, string direction);
}
