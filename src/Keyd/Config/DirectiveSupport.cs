namespace KernelIpsec.Keyd.Config;

/// <summary>
/// Every directive of racoon 0.8.2's racoon.conf grammar (cftoken.l/cfparse.y) and what this racoon does with it:
/// the one place `racoon --check`, the daemon's start-up log and racoon.conf(5)'s table take it from. A directive
/// that is read but not honoured produces, where it is written,
/// `FILE:LINE:COL: warning: DIRECTIVE is not supported by this racoon: WHAT HAPPENS INSTEAD`.
/// </summary>
public static partial class DirectiveSupport
{
    /// <summary>Sections whose directives are read only to be ignored as a whole (the section's own row says so).</summary>
    public static readonly IReadOnlyList<string> IgnoredSections = ["privsep", "ldapcfg", "radiuscfg"];

    /// <summary>The rule for a directive as written: the first row naming its value, else its row for any value.</summary>
    public static DirectiveRule? RuleFor(string section, string directive, IReadOnlyList<string> words) =>
        Table.FirstOrDefault(r => r.Values.Count > 0 && r.Matches(section, directive, words))
        ?? Table.FirstOrDefault(r => r.Values.Count == 0 && r.Matches(section, directive, words));

    /// <summary>The warning or error a directive as written gets, or null when it works as in racoon.</summary>
    public static ConfigDiagnostic? Check(DirectiveUse use)
    {
        if (IgnoredSections.Contains(use.Section))
            return null;
        if (RuleFor(use.Section, use.Directive, use.Words) is not { } rule)
            return null;
        return rule.State switch
        {
            DirectiveState.Warns => new ConfigDiagnostic(DiagnosticSeverity.Warning, use.Location, Message(rule, use)),
            DirectiveState.Refused => new ConfigDiagnostic(DiagnosticSeverity.Error, use.Location, Message(rule, use)),
            _ => null,
        };
    }

    /// <summary>`DIRECTIVE is not supported by this racoon: WHAT HAPPENS INSTEAD`, DIRECTIVE with the value when the row names values.</summary>
    public static string Message(DirectiveRule rule, DirectiveUse use)
    {
        var value = rule.Values.Count > 0 ? use.Words.FirstOrDefault(rule.Values.Contains) : null;
        var directive = value is not null ? $"{use.Directive} {value}" : use.Directive;
        return $"{directive} is not supported by this racoon: {rule.Notes}";
    }

    /// <summary>The section name a grammar context stands for ("remote section" -> "remote", "the top level" -> "").</summary>
    public static string SectionOf(string context) =>
        context.EndsWith(" section", StringComparison.Ordinal) ? context[..^" section".Length] : "";

    private static DirectiveRule Works(string section, string directive, string notes = "") => new(section, directive, [], DirectiveState.Works, notes);

    private static DirectiveRule Works(string section, string directive, string[] values, string notes = "") => new(section, directive, values, DirectiveState.Works, notes);

    private static DirectiveRule Warns(string section, string directive, string instead) => new(section, directive, [], DirectiveState.Warns, instead);

    private static DirectiveRule Warns(string section, string directive, string[] values, string instead) => new(section, directive, values, DirectiveState.Warns, instead);

    private static DirectiveRule Refused(string section, string directive, string[] values, string instead) => new(section, directive, values, DirectiveState.Refused, instead);
}
