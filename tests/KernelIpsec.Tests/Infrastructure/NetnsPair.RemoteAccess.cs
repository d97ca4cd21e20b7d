namespace KernelIpsec.Tests.Infrastructure;

/// <summary>
/// The remote-access topology (the shared interop rig's `ra`): the tunnel networks, a host address on each LAN
/// (10.77.1.10 behind left, 10.77.2.10 behind right, as the rig's lnet and rnet hosts), and a route on each side to
/// the address pool of a server on the other side (left: leftPool via right; right: rightPool via left), so the
/// answers to a client's virtual IP leave towards the client, where the server's tunnel policy catches them.
/// </summary>
public sealed partial class NetnsPair
{
    /// <summary>The host behind left, what a client of a server in left pings.</summary>
    public const string LeftLanHost = "10.77.1.10";

    /// <summary>The host behind right, what a client of a server in right pings.</summary>
    public const string RightLanHost = "10.77.2.10";

    /// <summary>A second address of right on the link: a second road warrior with an address of its own.</summary>
    public const string RightSecondAddress = "10.77.0.3";

    /// <param name="leftPool">The pool a server in left hands out (routed via right).</param>
    /// <param name="rightPool">The pool a server in right hands out (routed via left).</param>
    public void AddRemoteAccessNetworks(string leftPool, string rightPool)
    {
        AddTunnelNetworks();
        Left.Exec($"ip addr add {LeftLanHost}/24 dev lan-l");
        Right.Exec($"ip addr add {RightLanHost}/24 dev lan-r");
        Left.Exec($"ip route add {leftPool} via {RightAddress}");
        Right.Exec($"ip route add {rightPool} via {LeftAddress}");
    }

    /// <summary>Puts <see cref="RightSecondAddress"/> on right's link, for a second client.</summary>
    public void AddRightSecondAddress() => Right.Exec($"ip addr add {RightSecondAddress}/24 dev veth-r");
}
