namespace KernelIpsec.Ike.Sa;

/// <summary>
/// racoon's <c>timer { counter; interval; persend; phase1; phase2; }</c> with the code's defaults
/// (5 resends, 10 s apart, 1 copy, 30 s for phase 1 and for phase 2; the man page's 15/10 s are wrong).
/// </summary>
public sealed record RetransmitSettings(int Counter, TimeSpan Interval, int PerSend, TimeSpan Phase1Timeout, TimeSpan Phase2Timeout)
{
    public static RetransmitSettings RacoonDefaults { get; } =
        new(5, TimeSpan.FromSeconds(10), 1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
}
