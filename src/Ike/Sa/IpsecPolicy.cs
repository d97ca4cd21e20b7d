namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The outbound policy for a traffic pair as the daemon mirrors it from the kernel SPD: local and remote
/// selectors and the SA bundle (outermost last, as setkey writes it left to right: <c>esp/... ah/...</c>).
/// </summary>
public sealed record IpsecPolicy(TrafficSelector Local, TrafficSelector Remote, IReadOnlyList<SaTemplate> Templates, uint Index);
