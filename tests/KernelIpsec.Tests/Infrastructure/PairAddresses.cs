namespace KernelIpsec.Tests.Infrastructure;

/// <summary>
/// The IPv4 addresses of a <see cref="NetnsPair"/> topology: each side's own (interface) address, which
/// is also its address ID, and the address the other side sees it at (natbox's public 10.77.0.3 for
/// the side behind the NAT, its own address otherwise).
/// </summary>
public sealed record PairAddresses(string LeftOwn, string RightOwn, string LeftSeen, string RightSeen)
{
    public static PairAddresses For(NatSide nat) => nat switch
    {
        NatSide.Left => new(NetnsPair.LeftPrivateAddress, NetnsPair.RightAddress, NetnsPair.NatPublicAddress, NetnsPair.RightAddress),
        NatSide.Right => new(NetnsPair.LeftAddress, NetnsPair.RightPrivateAddress, NetnsPair.LeftAddress, NetnsPair.NatPublicAddress),
        _ => new(NetnsPair.LeftAddress, NetnsPair.RightAddress, NetnsPair.LeftAddress, NetnsPair.RightAddress),
    };

    public string Own(bool left) => left ? LeftOwn : RightOwn;

    /// <summary>Where the other side sends to, to reach this side.</summary>
    public string Seen(bool left) => left ? LeftSeen : RightSeen;
}
