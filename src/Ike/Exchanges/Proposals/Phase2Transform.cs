using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Proposals;

/// <summary>
/// One IPsec DOI transform (RFC 2407 4.4.4, 4.5): the transform id of its protocol plus the attributes a quick
/// mode carries. <see cref="KeyBits"/> 0 = no Key Length attribute; <see cref="AuthenticationAlgorithm"/>
/// 0 = none; <see cref="Group"/> null = no PFS; lifetimes 0 = not sent.
/// </summary>
public sealed record Phase2Transform(
    byte Number,
    byte TransformId,
    IpsecSaMode Mode,
    int KeyBits,
    int AuthenticationAlgorithm,
    uint LifetimeSeconds,
    uint LifetimeKilobytes,
    DhGroupId? Group);
