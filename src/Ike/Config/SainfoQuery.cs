namespace KernelIpsec.Ike.Config;

/// <summary>
/// The phase 2 situation a sainfo is chosen for (racoon's <c>getsainfo</c> arguments): our id and the
/// peer's id (null = not sent, matches anything), the phase 1 peer's identity, the peer's client
/// (mode-cfg or tunnel) address and the remote's `ph1id`.
/// </summary>
public sealed record SainfoQuery
{
    public SainfoId? Local { get; init; }
    public SainfoId? Remote { get; init; }
    /// <summary>Tests a sainfo's `from` identifier against the phase 1 peer's identity; null = no identity known (matches).</summary>
    public Func<IdentifierConfig, bool>? PeerIdentityMatches { get; init; }
    public SainfoId? ClientAddress { get; init; }
    public uint RemoteIdNumber { get; init; }
}
