using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

/// <summary>Turns a parsed `sainfo` statement into a <see cref="SainfoConfig"/> with racoon's checks.</summary>
internal static class SainfoBinder
{
    public static void Apply(ConfigBuilder b, SourceLocation at, SainfoId? local, SainfoId? remote, bool clientAddress,
        IdentifierConfig? from, string? group, IReadOnlyList<Func<SainfoConfig, SainfoConfig>> specs)
    {
        var sainfo = new SainfoConfig
        {
            LocalId = local,
            RemoteId = remote,
            RemoteIsClientAddress = clientAddress,
            From = from,
            Group = group,
            Location = at,
        };
        sainfo = specs.Aggregate(sainfo, (s, f) => f(s));

        var ok = true;
        if (sainfo.EncryptionAlgorithms.Count == 0)
        {
            b.Error(at, $"no encryption algorithm at sainfo {sainfo.Description} (add encryption_algorithm aes 128; for example)");
            ok = false;
        }
        if (sainfo.AuthenticationAlgorithms.Count == 0)
        {
            b.Error(at, $"no authentication algorithm at sainfo {sainfo.Description} (add authentication_algorithm hmac_sha1; for example)");
            ok = false;
        }
        if (sainfo.CompressionAlgorithms.Count == 0)
        {
            b.Error(at, $"no compression algorithm at sainfo {sainfo.Description} (racoon requires one even when IPComp is not used: add compression_algorithm deflate;)");
            ok = false;
        }
        if (!ok)
            return;

        if (!sainfo.IsAnonymous && local is not null && b.Sainfos.FirstOrDefault(s => SameSelector(s, sainfo)) is { } twin)
        {
            b.Error(at, $"duplicated sainfo: {sainfo.Description} (already defined at line {twin.Location?.Line})");
            return;
        }
        b.Sainfos.Add(sainfo);
    }

    private static bool SameSelector(SainfoConfig a, SainfoConfig b) =>
        a.LocalId is not null && Equals(a.LocalId, b.LocalId) && Equals(a.RemoteId, b.RemoteId)
        && a.RemoteIsClientAddress == b.RemoteIsClientAddress && Equals(a.From, b.From) && a.RemoteIdNumber == b.RemoteIdNumber;
}
