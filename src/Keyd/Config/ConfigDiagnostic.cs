using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>A problem found in a configuration file, printed as `FILE:LINE:COL: error: message`.</summary>
public sealed record ConfigDiagnostic(DiagnosticSeverity Severity, SourceLocation? Location, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString()
    {
        var kind = IsError ? "error" : "warning";
        return Location is null ? $"{kind}: {Message}" : $"{Location}: {kind}: {Message}";
    }
}
