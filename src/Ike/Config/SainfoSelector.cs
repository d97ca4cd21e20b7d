namespace KernelIpsec.Ike.Config;

/// <summary>
/// racoon's sainfo selection: sections are consulted most specific first (<c>prisainfo</c>: remoteid and
/// `from` weigh 3, each non-anonymous id 1; equal priority keeps the written order); the first whose
/// remoteid, `from` and ids match wins. An anonymous side matches any id, so `sainfo anonymous` is the
/// fallback.
/// </summary>
public static class SainfoSelector
{
    /// <summary>The sections in the order racoon consults them.</summary>
    public static IReadOnlyList<SainfoConfig> SearchOrder(IEnumerable<SainfoConfig> sainfos) =>
        [.. sainfos.OrderByDescending(s => s.MatchPriority)];

    public static SainfoConfig? Select(IEnumerable<SainfoConfig> sainfos, SainfoQuery query)
    {
        foreach (var s in SearchOrder(sainfos))
        {
            if (s.RemoteIdNumber != query.RemoteIdNumber)
                continue;
            if (s.From is not null && query.PeerIdentityMatches is { } matches && !matches(s.From))
                continue;
            if (s.RemoteIsClientAddress)
            {
                if (query.ClientAddress is null)
                    continue;
                if (Matches(query.Local, s.LocalId) && Matches(query.Remote, query.ClientAddress))
                    return s;
                continue;
            }
            if (Matches(query.Local, s.LocalId) && Matches(query.Remote, s.RemoteId))
                return s;
        }
        return null;
    }

    private static bool Matches(SainfoId? negotiated, SainfoId? configured) =>
        negotiated is null || configured is null || negotiated.MatchesConfigured(configured);
}
