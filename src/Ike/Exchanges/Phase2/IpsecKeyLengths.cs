using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Exchanges.Phase2;

/// <summary>How much KEYMAT an IPsec SA takes: the cipher key, then the HMAC key (RFC 2409 5.5; RFC 2404, 4868).</summary>
internal static class IpsecKeyLengths
{
    public static (int Encryption, int Authentication) For(IpsecSaProtocol protocol, Phase2Transform t) => protocol switch
    {
        IpsecSaProtocol.Esp => (Phase2ProposalMatcher.EffectiveKeyBits(protocol, t) / 8, AuthKeyBytes(t.AuthenticationAlgorithm)),
        IpsecSaProtocol.Ah => (0, AuthKeyBytes(t.AuthenticationAlgorithm != 0 ? t.AuthenticationAlgorithm : AhAuth(t.TransformId))),
        _ => (0, 0),
    };

    private static int AhAuth(byte transformId) => transformId switch
    {
        Phase2Offers.AhMd5 => (int)Phase2Authentication.HmacMd5,
        Phase2Offers.AhSha1 => (int)Phase2Authentication.HmacSha1,
        Phase2Offers.AhSha256 => (int)Phase2Authentication.HmacSha256,
        Phase2Offers.AhSha384 => (int)Phase2Authentication.HmacSha384,
        Phase2Offers.AhSha512 => (int)Phase2Authentication.HmacSha512,
        _ => 0,
    };

    /// <summary>The Authentication Algorithm the AH SA uses (its transform id names it when the attribute is absent).</summary>
    public static int AuthenticationAlgorithm(IpsecSaProtocol protocol, Phase2Transform t) =>
        protocol == IpsecSaProtocol.Ah && t.AuthenticationAlgorithm == 0 ? AhAuth(t.TransformId) : t.AuthenticationAlgorithm;

    private static int AuthKeyBytes(int algorithm) => (Phase2Authentication)algorithm switch
    {
        Phase2Authentication.HmacMd5 => 16,
        Phase2Authentication.HmacSha1 => 20,
        Phase2Authentication.HmacSha256 => 32,
        Phase2Authentication.HmacSha384 => 48,
        Phase2Authentication.HmacSha512 => 64,
        Phase2Authentication.None => 0,
        _ => throw ExchangeException.Abort($"authentication algorithm {algorithm} cannot be keyed", Wire.NotifyType.AttributesNotSupported),
    };
}
