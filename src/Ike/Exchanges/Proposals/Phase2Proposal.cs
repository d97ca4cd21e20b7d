namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// Proposal payloads sharing one number: a bundle, every protocol of which must be accepted together
/// (RFC 2408 4.2, e.g. AH and ESP). Proposals with different numbers are alternatives.
/// </summary>
public sealed record Phase2Proposal(byte Number, IReadOnlyList<Phase2ProtocolOffer> Protocols);
