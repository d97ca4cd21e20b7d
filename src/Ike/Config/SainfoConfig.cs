using KernelIpsec.Ike.Wire;
namespace KernelIpsec.Ike.Config;

/// <summary>
/// A `sainfo` section: phase 2 parameters for a pair of ids. A null <see cref="LocalId"/> or
/// <see cref="RemoteId"/> is `anonymous`; <see cref="RemoteIsClientAddress"/> is `anonymous clientaddr`.
/// Algorithm lists keep the order written (racoon proposes their permutation in that order).
/// </summary>
public sealed record SainfoConfig
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(28800);

    public SainfoId? LocalId { get; init; }
    public SainfoId? RemoteId { get; init; }
    public bool RemoteIsClientAddress { get; init; }
    /// <summary>`from idtype "value"`: only for phase 1 peers with this identity.</summary>
    public IdentifierConfig? From { get; init; }
    /// <summary>`group "name"`: XAuth group restriction.</summary>
    public string? Group { get; init; }
    /// <summary>`remoteid N` (matches a remote's `ph1id`).</summary>
    public uint RemoteIdNumber { get; init; }
    /// <summary>null = no PFS required.</summary>
    public DhGroupId? PfsGroup { get; init; }
    public TimeSpan Lifetime { get; init; } = DefaultLifetime;
    public IReadOnlyList<CipherChoice<Phase2Encryption>> EncryptionAlgorithms { get; init; } = [];
    public IReadOnlyList<Phase2Authentication> AuthenticationAlgorithms { get; init; } = [];
    public IReadOnlyList<CompressionAlgorithm> CompressionAlgorithms { get; init; } = [];
    public SourceLocation? Location { get; init; }

    public bool IsAnonymous => LocalId is null && RemoteId is null && !RemoteIsClientAddress;

    /// <summary>racoon's <c>prisainfo</c>: a more specific section is consulted first.</summary>
    public int MatchPriority => (RemoteIdNumber != 0 ? 3 : 0) + (From is not null ? 3 : 0)
        + (LocalId is not null ? 1 : 0) + (RemoteId is not null || RemoteIsClientAddress ? 1 : 0);

    /// <summary>The header as racoon prints it: `sainfo address 10.0.0.1 any address 10.0.0.2 any`.</summary>
    public string Description
    {
        get
        {
            var local = LocalId?.ToString() ?? "anonymous";
            var remote = RemoteIsClientAddress ? "clientaddr" : RemoteId?.ToString() ?? "anonymous";
            var text = LocalId is null && RemoteId is null && !RemoteIsClientAddress ? "anonymous" : $"{local} {remote}";
            if (From is not null)
                text += $" from {From}";
            if (Group is not null)
                text += $" group \"{Group}\"";
            return text;
        }
    }
}
