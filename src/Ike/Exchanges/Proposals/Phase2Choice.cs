using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// The outcome of phase 2 proposal selection: per protocol the accepted transform and the peer's SPI, the
/// lifetime both sides use, and whether we shortened it (then the responder sends RESPONDER-LIFETIME).
/// </summary>
public sealed record Phase2Choice(byte ProposalNumber, IReadOnlyList<Phase2ChosenProtocol> Protocols, uint LifetimeSeconds, uint LifetimeKilobytes,
    DhGroupId? PfsGroup, bool LifetimeClaimed);

/// <summary>One protocol of a chosen bundle. <see cref="PeerSpi"/> is the SPI the peer receives on (our outbound SA).</summary>
public sealed record Phase2ChosenProtocol(IpsecSaProtocol Protocol, uint PeerSpi, Phase2Transform Transform);
