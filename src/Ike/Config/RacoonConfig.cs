namespace KernelIpsec.Ike.Config;

/// <summary>
/// A whole racoon.conf (with its includes), as the daemon and the exchanges consume it.
/// Remotes and sainfos keep the order written; <see cref="Sainfos"/> is what <see cref="SainfoSelector"/> searches.
/// </summary>
public sealed record RacoonConfig
{
    public PathsConfig Paths { get; init; } = new();
    public ListenConfig Listen { get; init; } = new();
    public TimerConfig Timers { get; init; } = new();
    public PaddingConfig Padding { get; init; } = new();
    public RacoonLogLevel LogLevel { get; init; } = RacoonLogLevel.Info;
    public PrivsepConfig? Privsep { get; init; }
    /// <summary>`pfkey_buffer` in KiB; 0 = the OS default.</summary>
    public int PfKeyBufferKiB { get; init; }
    /// <summary>`complex_bundle` (on in racoon's code; the man page says off).</summary>
    public bool ComplexBundle { get; init; } = true;
    /// <summary>`gss_id_enc`: "utf-16le" or "latin1".</summary>
    public string GssIdEncoding { get; init; } = "utf-16le";
    public ModeConfigServer? ModeConfig { get; init; }

    /// <summary>The NAT-T port (racoon -P, default 4500): where IKE floats when a NAT is found, ours and the peer's.</summary>
    public int NattPort { get; init; } = 4500;
    public IReadOnlyList<RemoteConfig> Remotes { get; init; } = [];
    public IReadOnlyList<SainfoConfig> Sainfos { get; init; } = [];

    public RemoteConfig? FindRemoteByName(string name) => Remotes.FirstOrDefault(r => r.Name == name);
}
