namespace KernelIpsec.Tests.Infrastructure;

/// <summary>
/// Two fresh namespaces joined by a veth pair: left 10.77.0.1/24 (and fd77::1/64),
/// right 10.77.0.2/24 (fd77::2/64). The addresses exist only inside these namespaces.
/// <see cref="Create(NatSide)"/> builds the NAT topologies instead (NetnsPair.Nat.cs).
/// </summary>
public sealed partial class NetnsPair : IDisposable
{
    public TestNetns Left { get; }
    public TestNetns Right { get; }

    /// <summary>The masquerading router between the sides in the NAT topologies, null without NAT.</summary>
    public TestNetns? Natbox { get; }

    public NatSide Nat { get; }

    public PairAddresses Addresses => PairAddresses.For(Nat);

    public const string LeftAddress = "10.77.0.1";
    public const string RightAddress = "10.77.0.2";
    public const string LeftAddress6 = "fd77::1";
    public const string RightAddress6 = "fd77::2";

    private NetnsPair(TestNetns left, TestNetns right, TestNetns? natbox = null, NatSide nat = NatSide.None)
    {
        Left = left;
        Right = right;
        Natbox = natbox;
        Nat = nat;
    }

    public static NetnsPair Create(NatSide nat) => nat == NatSide.None ? Create() : CreateBehindNat(nat);

    public static NetnsPair Create()
    {
        var left = TestNetns.Create("kil");
        var right = TestNetns.Create("kir");
        try
        {
            Shell.Run("ip", $"link add veth-l netns {left.Name} type veth peer name veth-r netns {right.Name}");
            foreach (var (ns, dev, v4, v6) in new[] { (left, "veth-l", LeftAddress, LeftAddress6), (right, "veth-r", RightAddress, RightAddress6) })
            {
                ns.Exec($"ip addr add {v4}/24 dev {dev}");
                ns.Exec($"ip -6 addr add {v6}/64 dev {dev} nodad");
                ns.Exec($"ip link set {dev} up");
            }
            return new NetnsPair(left, right);
        }
        catch
        {
            left.Dispose();
            right.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For tunnel mode: 10.77.1.1/24 on a dummy device in left and 10.77.2.1/24 in right, each
    /// routed via the other gateway (as the other side sees it), so traffic between the two subnets
    /// crosses the link. The side behind the NAT needs no route: its default route is natbox.
    /// </summary>
    public void AddTunnelNetworks()
    {
        Left.Exec("ip link add lan-l type dummy");
        Left.Exec("ip addr add 10.77.1.1/24 dev lan-l");
        Left.Exec("ip link set lan-l up");
        if (Nat != NatSide.Left)
            Left.Exec($"ip route add 10.77.2.0/24 via {Addresses.RightSeen}");
        Right.Exec("ip link add lan-r type dummy");
        Right.Exec("ip addr add 10.77.2.1/24 dev lan-r");
        Right.Exec("ip link set lan-r up");
        if (Nat != NatSide.Right)
            Right.Exec($"ip route add 10.77.1.0/24 via {Addresses.LeftSeen}");
    }

    public void Dispose()
    {
        Left.Dispose();
        Right.Dispose();
        Natbox?.Dispose();
    }
}
