namespace KernelIpsec.Ike.Config;

/// <summary>racoon's `log` levels, lowest to most verbose.</summary>
public enum RacoonLogLevel
{
    Error,
    Warning,
    Notify,
    Info,
    Debug,
    Debug2,
}
