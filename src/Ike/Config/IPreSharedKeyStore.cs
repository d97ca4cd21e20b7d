namespace KernelIpsec.Ike.Config;

/// <summary>
/// Where the exchanges get pre-shared keys. Main mode looks keys up by the peer's address as racoon
/// prints it (`10.0.0.1`, `fe80::1%eth0`); aggressive/base mode by the peer's ID payload text first;
/// XAuth clients by their login.
/// </summary>
public interface IPreSharedKeyStore
{
    /// <summary>The key for <paramref name="identity"/> (exact, case-sensitive), or null if none.</summary>
    byte[]? Find(string identity);
}
