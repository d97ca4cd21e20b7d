namespace KernelIpsec.Keyd.Config;

/// <summary>
/// One row of <see cref="DirectiveSupport.Table"/>: a directive in a section ("" = top level), optionally only
/// for some values (a word of the statement after the directive), with its state and, for <see cref="DirectiveState.Warns"/>
/// and <see cref="DirectiveState.Refused"/>, what happens instead.
/// </summary>
public sealed record DirectiveRule(string Section, string Directive, IReadOnlyList<string> Values, DirectiveState State, string Notes)
{
    /// <summary>How the directive is written in racoon.conf(5)'s table: `remote { ike_frag on|force }`.</summary>
    public string Written
    {
        get
        {
            var text = Values.Count == 0 ? Directive : $"{Directive} {string.Join('|', Values)}";
            return Section.Length == 0 ? text : $"{Section} {{ {text} }}";
        }
    }

    public bool Matches(string section, string directive, IReadOnlyList<string> words) =>
        Section == section && Directive == directive && (Values.Count == 0 || words.Any(Values.Contains));
}
