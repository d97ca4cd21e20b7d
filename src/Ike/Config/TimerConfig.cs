namespace KernelIpsec.Ike.Config;

/// <summary>`timer { }` with racoon's code defaults (the man page's 15 s / 10 s phase timers are wrong).</summary>
public sealed record TimerConfig
{
    /// <summary>Retransmissions of a packet.</summary>
    public int Counter { get; init; } = 5;
    /// <summary>Retransmission interval.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Copies sent per transmission.</summary>
    public int PerSend { get; init; } = 1;
    /// <summary>Phase 1 must finish within this time.</summary>
    public TimeSpan Phase1 { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Phase 2 must finish within this time.</summary>
    public TimeSpan Phase2 { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>NAT-T keepalive interval; zero disables keepalives.</summary>
    public TimeSpan NattKeepalive { get; init; } = TimeSpan.FromSeconds(20);
}
