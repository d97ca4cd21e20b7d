using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>One Proposal payload of a quick mode SA: a protocol, the SPI its sender receives on, the alternatives.</summary>
public sealed record Phase2ProtocolOffer(IpsecSaProtocol Protocol, uint Spi, IReadOnlyList<Phase2Transform> Transforms);
