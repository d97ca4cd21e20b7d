using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// The configuration being assembled while statements are applied in file order (includes inline,
/// `path include` taking effect for the includes after it, `inherit` seeing the remotes before it).
/// </summary>
internal sealed class ConfigBuilder
{
    private readonly List<ConfigDiagnostic> diagnostics = [];

    public PathsConfig Paths { get; set; } = new();
    public ListenConfig Listen { get; set; } = new();
    public TimerConfig Timers { get; set; } = new();
    public PaddingConfig Padding { get; set; } = new();
    public RacoonLogLevel LogLevel { get; set; } = RacoonLogLevel.Info;
    public PrivsepConfig? Privsep { get; set; }
    public int PfKeyBufferKiB { get; set; }
    public bool ComplexBundle { get; set; } = true;
    public string GssIdEncoding { get; set; } = "utf-16le";
    public ModeConfigServer? ModeConfig { get; set; }
    public List<RemoteConfig> Remotes { get; } = [];
    public List<SainfoConfig> Sainfos { get; } = [];

    /// <summary>`kernel xfrm|pfkey;` (KernelIpsec extension; not part of RacoonConfig, which the IKE engine reads).</summary>
    public KernelChoice? Kernel { get; set; }

    /// <summary>Reads and applies an included file: (glob as written, where the include statement stands).</summary>
    public Action<string, SourceLocation> Include { get; set; } = (_, _) => { };

    public IReadOnlyList<ConfigDiagnostic> Diagnostics => diagnostics;

    /// <summary>Every directive read, in the order read (includes inline).</summary>
    public List<DirectiveUse> Directives { get; } = [];

    public void Warn(SourceLocation? at, string message) => diagnostics.Add(new(DiagnosticSeverity.Warning, at, message));

    public void Add(ConfigDiagnostic diagnostic) => diagnostics.Add(diagnostic);

    public void Error(SourceLocation? at, string message) => diagnostics.Add(new(DiagnosticSeverity.Error, at, message));

    public RacoonConfig Build() => new()
    {
        Paths = Paths,
        Listen = Listen,
        Timers = Timers,
        Padding = Padding,
        LogLevel = LogLevel,
        Privsep = Privsep,
        PfKeyBufferKiB = PfKeyBufferKiB,
        ComplexBundle = ComplexBundle,
        GssIdEncoding = GssIdEncoding,
        ModeConfig = ModeConfig,
        Remotes = [.. Remotes],
        Sainfos = [.. Sainfos],
    };
}
