using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Transport;

/// <summary>
/// Which sockets racoon opens: the `listen { isakmp ...; isakmp_natt ...; }` addresses when there are any (a NAT-T
/// socket only for an isakmp_natt line, on the port it names, 500 when it names none, as racoon's grammar has it),
/// otherwise every local address on the ISAKMP port (`-p`) and on the NAT-T port (`-P`), whatever the remotes say:
/// racoon built with NAT-T, as distributions ship it, opens both (grabmyaddr.c myaddr_open_all_configured).
/// `-4` / `-6` (<paramref name="family"/>) keep only the addresses of that family, from either source.
/// </summary>
public static class ListenPlan
{
    /// <param name="family">`-4`: InterNetwork, `-6`: InterNetworkV6, null: both families (no flag).</param>
    public static IReadOnlyList<ListenEndpoint> Compute(RacoonConfig config, int isakmpPort, int nattPort, IEnumerable<IPAddress> localAddresses, AddressFamily? family = null)
    {
        var result = new List<ListenEndpoint>();
        if (!config.Listen.ListensOnAllAddresses)
        {
            foreach (var entry in config.Listen.Addresses.Where(e => family is null || e.Address.AddressFamily == family))
            {
                var port = entry.Port != 0 ? entry.Port : entry.NatTraversal ? nattPort : isakmpPort;
                Add(result, new ListenEndpoint(new IPEndPoint(entry.Address, port), entry.NatTraversal));
            }
            return result;
        }
        foreach (var address in localAddresses.Where(a => family is null || a.AddressFamily == family))
        {
            Add(result, new ListenEndpoint(new IPEndPoint(address, isakmpPort), false));
            Add(result, new ListenEndpoint(new IPEndPoint(address, nattPort), true));
        }
        return result;
    }

    /// <summary>`listen` addresses that `-4` / `-6` leave out (the daemon says so in its log).</summary>
    public static IReadOnlyList<ListenAddress> ExcludedByFamily(RacoonConfig config, AddressFamily? family) =>
        family is null ? [] : config.Listen.Addresses.Where(e => e.Address.AddressFamily != family).ToList();

    /// <summary>The host's unicast IPv4 and IPv6 addresses (loopback included, as racoon does), link-local with scope.</summary>
    public static IReadOnlyList<IPAddress> LocalAddresses()
    {
        var addresses = new List<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !addresses.Contains(address))
                    addresses.Add(address);
            }
        }
        return addresses;
    }

    private static void Add(List<ListenEndpoint> list, ListenEndpoint endpoint)
    {
        if (!list.Contains(endpoint))
            list.Add(endpoint);
    }
}
