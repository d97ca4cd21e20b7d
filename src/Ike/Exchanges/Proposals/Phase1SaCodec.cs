using KernelIpsec.Ike.Crypto.Ciphers;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// Phase 1 SA payloads (RFC 2409 5 and appendix A): one ISAKMP proposal, transform id KEY_IKE, one transform
/// per offer with Encryption/Hash/Authentication/Group, Life Type seconds + Life Duration and Key Length for
/// variable-length ciphers.
/// </summary>
public static class Phase1SaCodec
{
    private const byte KeyIke = 1;
    private const ushort LifeTypeSeconds = 1;
    private const ushort LifeTypeKilobytes = 2;

    public static SecurityAssociationPayload Build(IReadOnlyList<Phase1Offer> offers) =>
        new([new Proposal(1, ProtocolId.Isakmp, [], [.. offers.Select(ToTransform)])]);

    public static Transform ToTransform(Phase1Offer offer)
    {
        var attributes = new List<DataAttribute>
        {
            DataAttribute.Basic((ushort)Phase1AttributeType.EncryptionAlgorithm, (ushort)offer.Encryption),
        };
        if (offer.KeyBits != 0)
        {
            attributes.Add(DataAttribute.Basic((ushort)Phase1AttributeType.KeyLength, (ushort)offer.KeyBits));
        }
        attributes.Add(DataAttribute.Basic((ushort)Phase1AttributeType.HashAlgorithm, (ushort)offer.Hash));
        attributes.Add(DataAttribute.Basic((ushort)Phase1AttributeType.AuthenticationMethod, offer.AuthenticationMethod));
        attributes.Add(DataAttribute.Basic((ushort)Phase1AttributeType.GroupDescription, (ushort)offer.Group));
        if (offer.LifetimeSeconds != 0)
        {
            attributes.Add(DataAttribute.Basic((ushort)Phase1AttributeType.LifeType, LifeTypeSeconds));
            attributes.Add(DataAttribute.Variable32((ushort)Phase1AttributeType.LifeDuration, offer.LifetimeSeconds));
        }
        return new Transform(offer.TransformNumber, KeyIke, [.. attributes]);
    }

    /// <summary>
    /// The offers of a received phase 1 SA payload. A transform with attributes we cannot honour
    /// (another group type, a PRF, a missing mandatory attribute) is skipped, as racoon does, with the reason kept.
    /// </summary>
    public static IReadOnlyList<Phase1Offer> Parse(SecurityAssociationPayload sa, List<string> skipped)
    {
        if (sa.Proposals.Length != 1 || sa.Proposals[0].Protocol != ProtocolId.Isakmp)
        {
            throw ExchangeException.Abort($"phase 1 SA must hold exactly one ISAKMP proposal, got {sa.Proposals.Length}", NotifyType.BadProposalSyntax);
        }
        var offers = new List<Phase1Offer>();
        foreach (var t in sa.Proposals[0].Transforms)
        {
            if (TryParse(t, out var offer, out var why))
            {
                offers.Add(offer!);
            }
            else
            {
                skipped.Add($"transform #{t.Number}: {why}");
            }
        }
        return offers;
    }

    private static bool TryParse(Transform t, out Phase1Offer? offer, out string why)
    {
        offer = null;
        if (t.TransformId != KeyIke)
        {
            why = $"transform id {t.TransformId} is not KEY_IKE";
            return false;
        }
        ushort? enc = null, hash = null, auth = null, group = null;
        var keyBits = 0;
        uint seconds = 0, kilobytes = 0;
        ushort lifeType = 0;
        foreach (var a in t.Attributes)
        {
            if (!a.TryGetInteger(out var value) || value > uint.MaxValue)
            {
                why = $"attribute {a.Type} is not a number";
                return false;
            }
            switch ((Phase1AttributeType)a.Type)
            {
                case Phase1AttributeType.EncryptionAlgorithm: enc = (ushort)value; break;
                case Phase1AttributeType.HashAlgorithm: hash = (ushort)value; break;
                case Phase1AttributeType.AuthenticationMethod: auth = (ushort)value; break;
                case Phase1AttributeType.GroupDescription: group = (ushort)value; break;
                case Phase1AttributeType.KeyLength: keyBits = (int)value; break;
                case Phase1AttributeType.LifeType: lifeType = (ushort)value; break;
                case Phase1AttributeType.LifeDuration:
                    if (lifeType == LifeTypeSeconds)
                    {
                        seconds = (uint)value;
                    }
                    else if (lifeType == LifeTypeKilobytes)
                    {
                        kilobytes = (uint)value;
                    }
                    else
                    {
                        why = "life duration without life type";
                        return false;
                    }
                    break;
                case Phase1AttributeType.GroupType:
                    if (value != 1)
                    {
                        why = $"group type {value} is not MODP";
                        return false;
                    }
                    break;
                default:
                    why = $"unsupported attribute type {a.Type}";
                    return false;
            }
        }
        if (enc is null || hash is null || auth is null || group is null)
        {
            why = "a mandatory attribute (encryption, hash, authentication, group) is missing";
            return false;
        }
        // Checked here, where proposals are chosen: a length the cipher cannot take (AES 144, 32640 ...) must not
        // win the match and then fail in key derivation.
        if (IkeCipherAlgorithm.Find((EncryptionAlgorithm)enc.Value) is { } cipher && !cipher.IsValidKeyBits(keyBits))
        {
            why = $"key length {keyBits} bits is not allowed for {cipher.Name} ({(cipher.HasVariableKeyLength ? $"{cipher.MinKeyBits}..{cipher.MaxKeyBits} in steps of {cipher.KeyBitsStep}" : $"{cipher.DefaultKeyBits} only")})";
            return false;
        }
        offer = new Phase1Offer(t.Number, (EncryptionAlgorithm)enc.Value, keyBits, (HashAlgorithm)hash.Value, auth.Value,
            (DhGroupId)group.Value, seconds, kilobytes);
        why = "";
        return true;
    }
}
