namespace KernelIpsec.Ike.Config;

/// <summary>`path include|pre_shared_key|certificate|script|backupsa|pidfile "..."`.</summary>
public sealed record PathsConfig
{
    /// <summary>Directory that relative `include` globs resolve against.</summary>
    public string? Include { get; init; }
    /// <summary>The psk.txt file (used as given).</summary>
    public string? PreSharedKey { get; init; }
    /// <summary>Directory that relative certificate and key names resolve against.</summary>
    public string? Certificate { get; init; }
    /// <summary>Directory that relative hook script names resolve against.</summary>
    public string? Script { get; init; }
    public string? BackupSa { get; init; }
    /// <summary>`path pidfile`; relative names are relative to /var/run.</summary>
    public string PidFile { get; init; } = "/var/run/racoon.pid";
    public SourceLocation? PreSharedKeyLocation { get; init; }
}
