namespace KernelIpsec.Ike.Config;

/// <summary>
/// racoon's remote selection (<c>getrmconf</c>/<c>getrmconf_by_ph1</c>): every section that matches
/// scores by what matched (basic, address, exchange type, identity); the best score wins, an anonymous
/// section being the fallback because it never scores "address". Two sections with the best score are
/// ambiguous and select nothing, as in racoon ("multiple non-exact configurations found").
/// </summary>
public static class RemoteSelector
{
    [Flags]
    private enum Match
    {
        None = 0,
        Basic = 1,
        Address = 2,
        ExchangeType = 4,
        Identity = 8,
    }

    /// <summary>The selected remote, or null with <paramref name="ambiguous"/> telling why.</summary>
    public static RemoteConfig? Select(IEnumerable<RemoteConfig> remotes, RemoteQuery query, out bool ambiguous)
    {
        RemoteConfig? best = null;
        var bestScore = Match.None;
        var count = 0;
        foreach (var remote in remotes)
        {
            var score = Score(remote, query);
            if (score == Match.None || score < bestScore)
                continue;
            if (score == bestScore)
            {
                count++;
                continue;
            }
            best = remote;
            bestScore = score;
            count = 1;
        }
        ambiguous = count > 1;
        return ambiguous ? null : best;
    }

    public static RemoteConfig? Select(IEnumerable<RemoteConfig> remotes, RemoteQuery query) => Select(remotes, query, out _);

    private static Match Score(RemoteConfig remote, RemoteQuery query)
    {
        if (query.ExcludeAnonymous && remote.IsAnonymous)
            return Match.None;
        if (query.ExcludePassive && remote.Passive)
            return Match.None;
        var score = Match.Basic;
        if (query.Peer is not null && remote.Address is not null)
        {
            if (!SameAddress(query.Peer, remote.Address))
                return Match.None;
            score |= Match.Address;
        }
        if (query.ExchangeMode is { } mode)
        {
            if (!remote.Accepts(mode))
                return Match.None;
            score |= Match.ExchangeType;
        }
        if (query.PeerIdentityMatches is { } matches && remote.VerifyIdentifier)
        {
            var configured = remote.PeersIdentifiers;
            if (configured.Count > 0 && !configured.Any(id => id.Value is null || matches(id)))
                return Match.None;
            score |= Match.Identity;
        }
        return score;
    }

    private static bool SameAddress(System.Net.IPAddress a, System.Net.IPAddress b)
    {
        if (a.IsIPv4MappedToIPv6)
            a = a.MapToIPv4();
        if (b.IsIPv4MappedToIPv6)
            b = b.MapToIPv4();
        return a.Equals(b);
    }
}
