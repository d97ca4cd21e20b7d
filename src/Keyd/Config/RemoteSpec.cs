using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Keyd.Config;

/// <summary>One statement inside `remote { }`: where it stands and how it changes the section.</summary>
internal sealed record RemoteSpec(SourceLocation Location, Func<RemoteConfig, ConfigBuilder, RemoteConfig> Apply);

/// <summary>The header of a remote statement: `remote "name"`, `remote ADDR [port]`, `remote anonymous`, each with an optional `inherit`.</summary>
internal sealed record RemoteHeader(SourceLocation Location, string? QuotedName, RemoteIndex? Index, string? ParentName, RemoteIndex? ParentIndex)
{
    public bool Inherits => ParentName is not null || ParentIndex is not null;
}

/// <summary>`ADDR [port]` or `anonymous [port]` (Address null).</summary>
internal sealed record RemoteIndex(System.Net.IPAddress? Address, int Port);

/// <summary>A `proposal { }` being read; checked for completeness when its block closes.</summary>
internal sealed class ProposalDraft
{
    public CipherChoice<EncryptionAlgorithm>? Encryption { get; set; }
    public HashAlgorithm? Hash { get; set; }
    public AuthenticationMethod? AuthenticationMethod { get; set; }
    public DhGroupId? DhGroup { get; set; }
    public TimeSpan? Lifetime { get; set; }
    public string? GssId { get; set; }
}
