using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

/// <summary>A directive as written: its section, keyword, the words of its statement (quoted strings aside) and where it stands.</summary>
public sealed record DirectiveUse(string Section, string Directive, IReadOnlyList<string> Words, SourceLocation Location)
{
    /// <summary>The first word after the directive (`on` in `ike_frag on;`), or null.</summary>
    public string? Value => Words.Count > 0 ? Words[0] : null;
}
