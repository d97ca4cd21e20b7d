using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Transport;

/// <summary>
/// Which sockets racoon opens: the `listen { isakmp ...; isakmp_natt ...; }` addresses when there are any,
/// otherwise every local address on the ISAKMP port, plus the NAT-T port when some remote enables NAT-T.
/// </summary>
public static class ListenPlan
{
    public static IReadOnlyList<ListenEndpoint> Compute(RacoonConfig config, int isakmpPort, int nattPort, IEnumerable<IPAddress> localAddresses)
    {
        var result = new List<ListenEndpoint>();
        if (!config.Listen.ListensOnAllAddresses)
        {
            foreach (var entry in config.Listen.Addresses)
            {
                var port = entry.Port != 0 ? entry.Port : entry.NatTraversal ? nattPort : isakmpPort;
                Add(result, new ListenEndpoint(new IPEndPoint(entry.Address, port), entry.NatTraversal));
            }
            return result;
        }
        var natt = config.Remotes.Any(r => r.NatTraversal != Tristate.Off);
        foreach (var address in localAddresses)
        {
            Add(result, new ListenEndpoint(new IPEndPoint(address, isakmpPort), false));
            if (natt)
                Add(result, new ListenEndpoint(new IPEndPoint(address, nattPort), true));
        }
        return result;
    }

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
