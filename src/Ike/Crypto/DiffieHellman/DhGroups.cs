using System.Security.Cryptography;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Crypto.DiffieHellman;

/// <summary>
/// The Diffie-Hellman groups we implement, looked up by their IKE number. Immutable and
/// thread-safe once built; build one per process (<see cref="CreateDefault"/>) and pass it in.
/// </summary>
public sealed class DhGroups
{
    private readonly DhGroup[] groups;

    public DhGroups(IModularExponentiation modpBackend)
    {
        ModpBackend = modpBackend;
        groups =
        [
            // RFC 2409 groups: full-size exponents (see ModpGroup)
            new ModpGroup(DhGroupId.Modp768, "modp768", ModpPrimes.Group1, 767, modpBackend),
            new ModpGroup(DhGroupId.Modp1024, "modp1024", ModpPrimes.Group2, 1023, modpBackend),
            // RFC 3526 groups: exponent sizes of section 8, strength estimate 2
            new ModpGroup(DhGroupId.Modp1536, "modp1536", ModpPrimes.Group5, 240, modpBackend),
            new ModpGroup(DhGroupId.Modp2048, "modp2048", ModpPrimes.Group14, 320, modpBackend),
            new ModpGroup(DhGroupId.Modp3072, "modp3072", ModpPrimes.Group15, 420, modpBackend),
            new ModpGroup(DhGroupId.Modp4096, "modp4096", ModpPrimes.Group16, 480, modpBackend),
            new ModpGroup(DhGroupId.Modp6144, "modp6144", ModpPrimes.Group17, 540, modpBackend),
            new ModpGroup(DhGroupId.Modp8192, "modp8192", ModpPrimes.Group18, 620, modpBackend),
            new EcpGroup(DhGroupId.Ecp256, "ecp256", ECCurve.NamedCurves.nistP256, 32),
            new EcpGroup(DhGroupId.Ecp384, "ecp384", ECCurve.NamedCurves.nistP384, 48),
            new EcpGroup(DhGroupId.Ecp521, "ecp521", ECCurve.NamedCurves.nistP521, 66),
        ];
    }

    /// <summary>The backend the MODP groups use ("libcrypto" normally).</summary>
    public IModularExponentiation ModpBackend { get; }

    public IReadOnlyList<DhGroup> All => groups;

    /// <summary>libcrypto when the system has libcrypto.so.3 (every supported distribution), else BouncyCastle.</summary>
    public static DhGroups CreateDefault()
        => new((IModularExponentiation?)LibCryptoModularExponentiation.TryCreate() ?? new BouncyCastleModularExponentiation());

    /// <summary>The group for a Group Description attribute value, or null if we do not implement it.</summary>
    public DhGroup? Find(DhGroupId id)
    {
        foreach (var group in groups)
        {
            if (group.Id == id)
                return group;
        }
        return null;
    }

    /// <summary>The group for a racoon.conf name (modp768 ... modp8192, ecp256/384/521; also the numbers "2", "14"), or null.</summary>
    public DhGroup? FindByName(string name)
    {
        if (ushort.TryParse(name, out var number))
            return Find((DhGroupId)number);
        foreach (var group in groups)
        {
            if (string.Equals(group.Name, name, StringComparison.OrdinalIgnoreCase))
                return group;
        }
        return null;
    }
}
