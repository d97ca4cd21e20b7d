using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// Our quick mode offer, built as racoon does from the SPD and the sainfo: the policy's bundle decides the
/// protocols and the mode, the sainfo's algorithm lists give each protocol its transforms (their permutation
/// in the order written), every transform carries the sainfo lifetime and the pfs_group.
/// </summary>
public static class Phase2Offers
{
    public const byte AhMd5 = 2;
    public const byte AhSha1 = 3;
    public const byte AhSha256 = 5;
    public const byte AhSha384 = 6;
    public const byte AhSha512 = 7;

    /// <summary>The AH transform id that carries an authentication algorithm (RFC 2407 4.4.3, RFC 4868), or null.</summary>
    public static byte? AhTransformFor(Phase2Authentication auth) => auth switch
    {
        Phase2Authentication.HmacMd5 => AhMd5,
        Phase2Authentication.HmacSha1 => AhSha1,
        Phase2Authentication.HmacSha256 => AhSha256,
        Phase2Authentication.HmacSha384 => AhSha384,
        Phase2Authentication.HmacSha512 => AhSha512,
        _ => null,
    };

    /// <summary>The Key Length racoon sends for a variable-length ESP cipher written without one (128), else none.</summary>
    public static int DefaultKeyBits(Phase2Encryption cipher) => cipher switch
    {
        Phase2Encryption.Aes or Phase2Encryption.Camellia or Phase2Encryption.Blowfish or Phase2Encryption.Cast128 or Phase2Encryption.Twofish => 128,
        _ => 0,
    };

    /// <summary>
    /// One proposal (number 1) with a Proposal payload per template of the bundle; <paramref name="spis"/>
    /// gives the inbound SPI allocated for each protocol.
    /// </summary>
    public static IReadOnlyList<Phase2Proposal> Build(IReadOnlyList<SaTemplate> bundle, SainfoConfig sainfo, IReadOnlyDictionary<IpsecSaProtocol, uint> spis)
    {
        var lifetime = (uint)sainfo.Lifetime.TotalSeconds;
        var protocols = new List<Phase2ProtocolOffer>();
        foreach (var template in bundle)
        {
            var transforms = new List<Phase2Transform>();
            byte number = 1;
            switch (template.Protocol)
            {
                case IpsecSaProtocol.Esp:
                    foreach (var enc in sainfo.EncryptionAlgorithms)
                    {
                        foreach (var auth in sainfo.AuthenticationAlgorithms)
                        {
                            transforms.Add(new Phase2Transform(number++, (byte)enc.Algorithm, template.Mode, enc.KeyLength ?? DefaultKeyBits(enc.Algorithm), (int)auth, lifetime, 0, sainfo.PfsGroup));
                        }
                    }
                    break;
                case IpsecSaProtocol.Ah:
                    foreach (var auth in sainfo.AuthenticationAlgorithms)
                    {
                        if (AhTransformFor(auth) is { } id)
                        {
                            transforms.Add(new Phase2Transform(number++, id, template.Mode, 0, (int)auth, lifetime, 0, sainfo.PfsGroup));
                        }
                    }
                    break;
                case IpsecSaProtocol.IpComp:
                    foreach (var comp in sainfo.CompressionAlgorithms)
                    {
                        transforms.Add(new Phase2Transform(number++, (byte)comp, template.Mode, 0, 0, lifetime, 0, sainfo.PfsGroup));
                    }
                    break;
            }
            if (transforms.Count == 0)
            {
                throw new InvalidOperationException($"sainfo {sainfo.Description} has no algorithm usable for {RacoonText.ProtocolName(template.Protocol)}");
            }
            protocols.Add(new Phase2ProtocolOffer(template.Protocol, spis[template.Protocol], transforms));
        }
        return [new Phase2Proposal(1, protocols)];
    }
}
