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

    /// <summary>draft-beaulieu-ike-xauth-02 and draft-ietf-ipsra-isakmp-hybrid-auth-05 private-use values.</summary>
    public const ushort HybridInitRsa = 64221;
    public const ushort HybridRespRsa = 64222;
    public const ushort XauthInitPreShared = 65001;
    public const ushort XauthRespPreShared = 65002;
    public const ushort XauthInitRsa = 65005;
    public const ushort XauthRespRsa = 65006;

    /// <summary>
    /// The Oakley Authentication Method value for a configured method, or null when racoon refuses it. As racoon
    /// (<c>switch_authmethod</c>), the *_server and *_client methods both go on the wire as the "Init" value: who is
    /// the XAuth server is the configuration's business, not the proposal's.
    /// </summary>
    public static ushort? WireAuthenticationMethod(Config.AuthenticationMethod method) => method switch
    {
        Config.AuthenticationMethod.PreSharedKey => PreSharedKey,
        Config.AuthenticationMethod.RsaSignature => RsaSignature,
        Config.AuthenticationMethod.XauthPskServer or Config.AuthenticationMethod.XauthPskClient => XauthInitPreShared,
        Config.AuthenticationMethod.XauthRsaServer or Config.AuthenticationMethod.XauthRsaClient => XauthInitRsa,
        Config.AuthenticationMethod.HybridRsaServer or Config.AuthenticationMethod.HybridRsaClient => HybridInitRsa,
        _ => null,
    };

    /// <summary>The "Init" value of a method's pair (65002 -> 65001, 65006 -> 65005, 64222 -> 64221): what proposals compare.</summary>
    public static ushort Family(ushort wire) => wire switch
    {
        XauthRespPreShared => XauthInitPreShared,
        XauthRespRsa => XauthInitRsa,
        HybridRespRsa => HybridInitRsa,
        _ => wire,
    };

    /// <summary>How phase 1 itself authenticates under a method: pre-shared key or RSA signature (the XAuth variants add a login after it).</summary>
    public static ushort BaseMethod(ushort wire) => Family(wire) switch
    {
        XauthInitPreShared => PreSharedKey,
        XauthInitRsa or HybridInitRsa => RsaSignature,
        var other => other,
    };

    /// <summary>Pre-shared key or RSA signature, whatever XAuth comes after.</summary>
    public ushort BaseAuthentication => BaseMethod(AuthenticationMethod);

    /// <summary>The name racoon prints for a method.</summary>
    public static string MethodName(ushort wire) => wire switch
    {
        PreSharedKey => "pre-shared key",
        RsaSignature => "RSA signature",
        XauthInitPreShared => "XAuth pskey (init)",
        XauthRespPreShared => "XAuth pskey (resp)",
        XauthInitRsa => "XAuth RSA (init)",
        XauthRespRsa => "XAuth RSA (resp)",
        HybridInitRsa => "Hybrid RSA (init)",
        HybridRespRsa => "Hybrid RSA (resp)",
        _ => $"auth {wire}",
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
        $"{Encryption}{(KeyBits != 0 ? $"-{KeyBits}" : "")}/{Hash}/{Group}/{MethodName(AuthenticationMethod)}/{LifetimeSeconds}s";
}
