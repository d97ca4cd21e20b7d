using System.Net;

namespace KernelIpsec.Ike.Config;

/// <summary>One `isakmp ADDR [port];` or `isakmp_natt ADDR [port];` line.</summary>
public sealed record ListenAddress(IPAddress Address, int Port, bool NatTraversal);

/// <summary>`adminsock "path" ["owner" "group" MODE]` (or `adminsock disabled`).</summary>
public sealed record AdminSocketConfig
{
    public string Path { get; init; } = "/var/racoon/racoon.sock";
    public string Owner { get; init; } = "0";
    public string Group { get; init; } = "0";
    /// <summary>File mode as racoon computes it (its digit-group parsing, x bits mapped to w bits).</summary>
    public int Mode { get; init; } = Convert.ToInt32("600", 8);
    public bool Disabled { get; init; }
}

/// <summary>
/// `listen { }`. With no isakmp lines racoon listens on every local address (port 500, and 4500 for
/// NAT-T); once one line exists only the listed addresses are used.
/// </summary>
public sealed record ListenConfig
{
    public IReadOnlyList<ListenAddress> Addresses { get; init; } = [];
    public AdminSocketConfig AdminSocket { get; init; } = new();
    public bool StrictAddress { get; init; }

    public bool ListensOnAllAddresses => Addresses.Count == 0;
}
