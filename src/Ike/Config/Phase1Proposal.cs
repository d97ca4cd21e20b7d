using KernelIpsec.Ike.Wire;
namespace KernelIpsec.Ike.Config;

/// <summary>
/// One `proposal { }` of a remote: becomes one transform of the phase 1 SA payload, in the order written.
/// <see cref="Lifetime"/> is null when the proposal does not set one (the remote's lifetime applies).
/// </summary>
public sealed record Phase1Proposal
{
    public required CipherChoice<EncryptionAlgorithm> Encryption { get; init; }
    public required HashAlgorithm Hash { get; init; }
    public required AuthenticationMethod AuthenticationMethod { get; init; }
    public required DhGroupId DhGroup { get; init; }
    public TimeSpan? Lifetime { get; init; }
    /// <summary>`gss_id "..."` (only with gssapi_krb).</summary>
    public string? GssId { get; init; }
    public SourceLocation? Location { get; init; }

    /// <summary>The lifetime this proposal offers inside <paramref name="remote"/>.</summary>
    public TimeSpan EffectiveLifetime(RemoteConfig remote) => Lifetime ?? remote.Lifetime;
}
