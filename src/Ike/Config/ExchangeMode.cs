namespace KernelIpsec.Ike.Config;

/// <summary>Phase 1 exchange types racoon can run (`exchange_mode main, aggressive, base`).</summary>
public enum ExchangeMode
{
    Main,
    Aggressive,
    Base,
}
