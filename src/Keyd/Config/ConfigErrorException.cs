using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

/// <summary>A semantic error while applying a statement (duplicate section, missing parent, ...).</summary>
public sealed class ConfigErrorException(SourceLocation? location, string message) : Exception(message)
{
    public SourceLocation? Location { get; } = location;
}

/// <summary>Thrown by <see cref="RacoonConfLoader.Load"/> when a configuration has errors; carries all of them.</summary>
public sealed class ConfigLoadException(IReadOnlyList<ConfigDiagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics.Where(d => d.IsError)))
{
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; } = diagnostics;
}
