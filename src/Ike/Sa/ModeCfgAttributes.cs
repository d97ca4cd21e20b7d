using System.Net;

namespace KernelIpsec.Ike.Sa;

/// <summary>
/// The Mode Config attributes of one ISAKMP SA (draft-dukes-ike-mode-cfg-02, Cisco Unity split attributes), as the
/// client received them or the server handed them out; racoon exports them to scripts as INTERNAL_ADDR4,
/// INTERNAL_NETMASK4, INTERNAL_DNS4, INTERNAL_WINS4, SPLIT_INCLUDE, SPLIT_LOCAL, SPLIT_DNS, DEFAULT_DOMAIN.
/// </summary>
public sealed record ModeCfgAttributes
{
    public IPAddress? Address4 { get; init; }
    public IPAddress? Netmask4 { get; init; }
    public IReadOnlyList<IPAddress> Dns4 { get; init; } = [];
    public IReadOnlyList<IPAddress> Wins4 { get; init; } = [];
    public IReadOnlyList<IPNetwork> SplitInclude { get; init; } = [];
    public IReadOnlyList<IPNetwork> SplitLocal { get; init; } = [];
    public IReadOnlyList<string> SplitDns { get; init; } = [];
    public string? DefaultDomain { get; init; }
    public string? Banner { get; init; }
}
