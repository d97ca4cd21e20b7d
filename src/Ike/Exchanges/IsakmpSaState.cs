namespace KernelIpsec.Ike.Exchanges;

public enum IsakmpSaState
{
    /// <summary>Main or aggressive mode under way.</summary>
    Negotiating,
    /// <summary>Authenticated; quick modes and informational exchanges may run.</summary>
    Established,
    /// <summary>Deleted, expired or failed: kept only until the engine drops it.</summary>
    Dead,
}
