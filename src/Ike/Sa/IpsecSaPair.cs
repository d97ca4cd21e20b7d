using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The two SAs of one protocol that a quick mode produced, in IKE terms. The daemon maps the ids through the
/// netlink algorithm registry: <see cref="TransformId"/> is the IPsec DOI transform id of
/// <see cref="Protocol"/> (ESP_3DES = 3, ESP_AES = 12, AH_SHA = 3, IPCOMP_DEFLATE = 2 ...),
/// <see cref="AuthenticationAlgorithm"/> the IPsec DOI Authentication Algorithm attribute
/// (HMAC-MD5 = 1, HMAC-SHA = 2, HMAC-SHA2-256 = 5 ...; 0 = none).
/// Inbound: <see cref="RemoteAddress"/> → <see cref="LocalAddress"/> with <see cref="InboundSpi"/>; outbound the reverse.
/// <see cref="Encapsulation"/> is set when NAT-T negotiated ESP in UDP (ESP only).
/// </summary>
public sealed record IpsecSaPair(
    IpsecSaProtocol Protocol,
    IpsecSaMode Mode,
    IPAddress LocalAddress,
    IPAddress RemoteAddress,
    uint InboundSpi,
    uint OutboundSpi,
    int TransformId,
    int KeyLengthBits,
    int AuthenticationAlgorithm,
    SaKeys InboundKeys,
    SaKeys OutboundKeys,
    IpsecLifetime Lifetime,
    uint Reqid,
    TrafficSelector LocalSelector,
    TrafficSelector RemoteSelector,
    UdpEncapsulation? Encapsulation = null);
