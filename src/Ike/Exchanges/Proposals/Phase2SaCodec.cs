using System.Buffers.Binary;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Messages;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// Quick mode SA payloads (RFC 2407 4.5, 4.6.1): Proposal payloads per protocol (equal numbers form a
/// bundle), SPIs of 4 bytes (IPComp: a 2-byte CPI), transforms with SA Life Type/Duration (seconds, then
/// kilobytes), Group Description for PFS, Encapsulation Mode, Authentication Algorithm and Key Length.
/// </summary>
public static class Phase2SaCodec
{
    private const ushort LifeTypeSeconds = 1;
    private const ushort LifeTypeKilobytes = 2;

    /// <summary>
    /// The SA payload of <paramref name="proposals"/>; with NAT-T in use (<paramref name="udp"/>) ESP's tunnel and
    /// transport modes go out as UDP-Encapsulated-Tunnel/Transport in that dialect's values (RFC 3947 5.1).
    /// </summary>
    public static SecurityAssociationPayload Build(IReadOnlyList<Phase2Proposal> proposals, UdpEncapsulationValues udp = UdpEncapsulationValues.None) =>
        new([.. proposals.SelectMany(p => p.Protocols.Select(o => ToProposal(p.Number, o, udp)))]);

    private static Proposal ToProposal(byte number, Phase2ProtocolOffer offer, UdpEncapsulationValues udp)
    {
        byte[] spi;
        if (offer.Protocol == IpsecSaProtocol.IpComp)
        {
            spi = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(spi, (ushort)offer.Spi);
        }
        else
        {
            spi = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(spi, offer.Spi);
        }
        var encapsulated = offer.Protocol == IpsecSaProtocol.Esp ? udp : UdpEncapsulationValues.None;
        return new Proposal(number, (ProtocolId)offer.Protocol, spi, [.. offer.Transforms.Select(t => ToTransform(t, encapsulated))]);
    }

    public static Transform ToTransform(Phase2Transform t) => ToTransform(t, UdpEncapsulationValues.None);

    private static ushort ModeValue(IpsecSaMode mode, UdpEncapsulationValues udp) => udp switch
    {
        UdpEncapsulationValues.Rfc3947 => (ushort)(mode == IpsecSaMode.Tunnel ? EncapsulationMode.UdpTunnel : EncapsulationMode.UdpTransport),
        UdpEncapsulationValues.Draft => (ushort)(mode == IpsecSaMode.Tunnel ? EncapsulationMode.UdpTunnelDraft : EncapsulationMode.UdpTransportDraft),
        _ => (ushort)mode,
    };

    private static Transform ToTransform(Phase2Transform t, UdpEncapsulationValues udp)
    {
        var a = new List<DataAttribute>();
        if (t.LifetimeSeconds != 0)
        {
            a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, LifeTypeSeconds));
            a.Add(DataAttribute.Variable32((ushort)IpsecAttributeType.SaLifeDuration, t.LifetimeSeconds));
        }
        if (t.LifetimeKilobytes != 0)
        {
            a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, LifeTypeKilobytes));
            a.Add(DataAttribute.Variable32((ushort)IpsecAttributeType.SaLifeDuration, t.LifetimeKilobytes));
        }
        if (t.Group is { } g)
        {
            a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.GroupDescription, (ushort)g));
        }
        a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, ModeValue(t.Mode, udp)));
        if (t.AuthenticationAlgorithm != 0)
        {
            a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, (ushort)t.AuthenticationAlgorithm));
        }
        if (t.KeyBits != 0)
        {
            a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, (ushort)t.KeyBits));
        }
        return new Transform(t.Number, t.TransformId, [.. a]);
    }

    /// <summary>
    /// The proposals of a received quick mode SA, grouped into bundles by proposal number. UDP-Encapsulated modes
    /// (RFC or draft values) are accepted only when NAT-T is in use on the ISAKMP SA (<paramref name="udp"/>), and
    /// read as the tunnel or transport mode they wrap.
    /// </summary>
    public static IReadOnlyList<Phase2Proposal> Parse(SecurityAssociationPayload sa, List<string> skipped, bool udp = false)
    {
        var result = new List<Phase2Proposal>();
        foreach (var group in sa.Proposals.GroupBy(p => p.Number))
        {
            var protocols = new List<Phase2ProtocolOffer>();
            foreach (var p in group)
            {
                if (p.Protocol is not (ProtocolId.IpsecEsp or ProtocolId.IpsecAh or ProtocolId.IpComp))
                {
                    throw ExchangeException.Abort($"proposal #{p.Number}: protocol {p.Protocol} in quick mode", NotifyType.InvalidProtocolId);
                }
                var spi = p.Spi.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(p.Spi) : BinaryPrimitives.ReadUInt32BigEndian(p.Spi);
                var transforms = new List<Phase2Transform>();
                foreach (var t in p.Transforms)
                {
                    if (TryParse(t, udp, out var parsed, out var why))
                    {
                        transforms.Add(parsed!);
                    }
                    else
                    {
                        skipped.Add($"proposal #{p.Number} {p.Protocol} transform #{t.Number}: {why}");
                    }
                }
                protocols.Add(new Phase2ProtocolOffer((IpsecSaProtocol)p.Protocol, spi, transforms));
            }
            result.Add(new Phase2Proposal(group.Key, protocols));
        }
        return result;
    }

    private static bool TryParse(Transform t, bool udp, out Phase2Transform? parsed, out string why)
    {
        parsed = null;
        uint seconds = 0, kilobytes = 0;
        ushort lifeType = 0;
        DhGroupId? group = null;
        var mode = IpsecSaMode.Transport;
        var auth = 0;
        var keyBits = 0;
        foreach (var a in t.Attributes)
        {
            if (!a.TryGetInteger(out var value) || value > uint.MaxValue)
            {
                why = $"attribute {a.Type} is not a number";
                return false;
            }
            switch ((IpsecAttributeType)a.Type)
            {
                case IpsecAttributeType.SaLifeType: lifeType = (ushort)value; break;
                case IpsecAttributeType.SaLifeDuration:
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
                        why = "SA life duration without life type";
                        return false;
                    }
                    break;
                case IpsecAttributeType.GroupDescription: group = (DhGroupId)value; break;
                case IpsecAttributeType.EncapsulationMode:
                    switch ((EncapsulationMode)value)
                    {
                        case EncapsulationMode.Tunnel or EncapsulationMode.Transport:
                            mode = (IpsecSaMode)value;
                            break;
                        case EncapsulationMode.UdpTunnel or EncapsulationMode.UdpTunnelDraft when udp:
                            mode = IpsecSaMode.Tunnel;
                            break;
                        case EncapsulationMode.UdpTransport or EncapsulationMode.UdpTransportDraft when udp:
                            mode = IpsecSaMode.Transport;
                            break;
                        case EncapsulationMode.UdpTunnel or EncapsulationMode.UdpTunnelDraft or EncapsulationMode.UdpTransport or EncapsulationMode.UdpTransportDraft:
                            why = $"encapsulation mode {value} (UDP encapsulation needs NAT-T, which is not negotiated)";
                            return false;
                        default:
                            why = $"unknown encapsulation mode {value}";
                            return false;
                    }
                    break;
                case IpsecAttributeType.AuthenticationAlgorithm: auth = (int)value; break;
                case IpsecAttributeType.KeyLength: keyBits = (int)value; break;
                default:
                    why = $"unsupported attribute type {a.Type}";
                    return false;
            }
        }
        parsed = new Phase2Transform(t.Number, t.TransformId, mode, keyBits, auth, seconds, kilobytes, group);
        why = "";
        return true;
    }
}
