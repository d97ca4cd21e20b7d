using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// One phase 1 transform in IKE terms (RFC 2409 appendix A attributes): what an initiator offers and what a
/// responder accepts. <see cref="KeyBits"/> 0 = no Key Length attribute (the cipher's default);
/// <see cref="AuthenticationMethod"/> is the wire value (pre-shared key 1, RSA signature 3 ...).
/// </summary>
public sealed record Phase1Offer(
    byte TransformNumber,
    EncryptionAlgorithm Encryption,
    int KeyBits,
    HashAlgorithm Hash,
    ushort AuthenticationMethod,
    DhGroupId Group,
    uint LifetimeSeconds,
    uint LifetimeKilobytes)
{
    public const ushort PreSharedKey = 1;
    public const ushort RsaSignature = 3;

    /// <summary>The Oakley Authentication Method value for a configured method, or null when racoon refuses it.</summary>
    public static ushort? WireAuthenticationMethod(Config.AuthenticationMethod method) => method switch
    {
        Config.AuthenticationMethod.PreSharedKey => PreSharedKey,
        Config.AuthenticationMethod.RsaSignature => RsaSignature,
        _ => null,
    };

    /// <summary>Our side's offers: one transform per <c>proposal {}</c>, numbered from 1 in the order written.</summary>
    public static IReadOnlyList<Phase1Offer> FromConfig(RemoteConfig remote)
    {
        var offers = new List<Phase1Offer>();
        byte number = 1;
        foreach (var p in remote.Proposals)
        {
            if (WireAuthenticationMethod(p.AuthenticationMethod) is not { } auth)
            {
                continue;
            }
            offers.Add(new Phase1Offer(number++, p.Encryption.Algorithm, p.Encryption.KeyLength ?? DefaultKeyBits(p.Encryption.Algorithm), p.Hash, auth, p.DhGroup,
                (uint)p.EffectiveLifetime(remote).TotalSeconds, 0));
        }
        return offers;
    }

    /// <summary>
    /// racoon sends a Key Length attribute for every variable-length cipher, 128 bits when the configuration names
    /// none (RFC 3602 requires it for AES; charon refuses AES without it). Fixed-length ciphers send none.
    /// </summary>
    public static int DefaultKeyBits(EncryptionAlgorithm cipher) => cipher switch
    {
        EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.CamelliaCbc or EncryptionAlgorithm.BlowfishCbc or EncryptionAlgorithm.CastCbc => 128,
        _ => 0,
    };

    /// <summary>As racoon prints a transform: <c>3DES-CBC/SHA/1024-bit MODP group/pre-shared key</c>-like.</summary>
    public override string ToString() =>
        $"{Encryption}{(KeyBits != 0 ? $"-{KeyBits}" : "")}/{Hash}/{Group}/{(AuthenticationMethod == PreSharedKey ? "pre-shared key" : AuthenticationMethod == RsaSignature ? "RSA signature" : $"auth {AuthenticationMethod}")}/{LifetimeSeconds}s";
}
