using System.Net;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Config;

/// <summary>`split_network include|local_lan NET/plen`.</summary>
public sealed record SplitNetwork(bool LocalLan, IPAddress Network, int PrefixLength);

/// <summary>Top-level `mode_cfg { }`: what a Mode-Config server hands out.</summary>
public sealed record ModeConfigServer
{
    public IPAddress? Network4 { get; init; }
    public IPAddress? Netmask4 { get; init; }
    public int PoolSize { get; init; } = 255;
    public IReadOnlyList<IPAddress> Dns4 { get; init; } = [];
    public IReadOnlyList<IPAddress> Wins4 { get; init; } = [];
    public IReadOnlyList<SplitNetwork> SplitNetworks { get; init; } = [];
    public IReadOnlyList<string> SplitDns { get; init; } = [];
    public string? DefaultDomain { get; init; }
    public string AuthSource { get; init; } = "system";
    public IReadOnlyList<string> AuthGroups { get; init; } = [];
    public string GroupSource { get; init; } = "system";
    public string ConfSource { get; init; } = "local";
    public string Accounting { get; init; } = "none";
    public string Banner { get; init; } = "/etc/motd";
    public TimeSpan AuthThrottle { get; init; } = TimeSpan.FromSeconds(1);
    public DhGroupId? PfsGroup { get; init; }
    public bool SavePassword { get; init; }
}
