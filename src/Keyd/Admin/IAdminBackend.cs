using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.Admin;

/// <summary>
/// What racoonctl's requests may do to the running daemon, and no more: the daemon implements it, the admin
/// handler uses it, so the admin side knows nothing of the daemon's engine, tables or loop. Every member runs on
/// the daemon's loop (the admin server hands each request there).
/// </summary>
internal interface IAdminBackend
{
    /// <summary>`reload-config`: re-read racoon.conf as on SIGHUP.</summary>
    void RequestReload();

    /// <summary>When the daemon's timer fires next, or null (`show-schedule`).</summary>
    DateTimeOffset? NextTimer { get; }

    /// <summary>The phase 1 SAs (`show-sa isakmp`).</summary>
    IReadOnlyList<Ph1Dump> Phase1Sas();

    /// <summary>The kernel's SAs (`show-sa ipsec|esp|ah`).</summary>
    Task<IReadOnlyList<SecurityAssociation>> IpsecSasAsync();

    /// <summary>`flush-sa isakmp`: every phase 1 deleted (with its notification to the peer).</summary>
    Task FlushPhase1Async(DateTimeOffset now);

    /// <summary>`flush-sa ipsec|esp|ah`: the kernel's SAs of that protocol (all: null) removed.</summary>
    Task FlushIpsecSasAsync(IpsecProtocol? protocol);

    /// <summary>`delete-sa`, `vpn-disconnect`: the phase 1s to <paramref name="remote"/> (from <paramref name="local"/> if given) deleted; false when none was established.</summary>
    Task<bool> DeletePhase1Async(IPAddress? local, IPAddress remote, DateTimeOffset now);

    /// <summary>
    /// `establish-sa isakmp`, `vpn-connect` (with `-u`: <paramref name="credentials"/>): false (and nothing started)
    /// when a phase 1 to <paramref name="remote"/> is established already.
    /// </summary>
    Task<bool> EstablishPhase1Async(IPAddress? local, IPAddress remote, string? remoteName, XauthCredentials? credentials, DateTimeOffset now);

    /// <summary>`logout-user`: every ISAKMP SA whose XAuth login is <paramref name="login"/> deleted (with its IPsec SAs); how many.</summary>
    Task<int> LogoutUserAsync(string login, DateTimeOffset now);

    /// <summary>
    /// `establish-sa esp|ah`: quick mode for the outbound policy with <paramref name="selector"/>'s selector, as for
    /// an ACQUIRE; false when there is no such policy.
    /// </summary>
    Task<bool> EstablishIpsecSaAsync(AdminIndexes selector, DateTimeOffset now);
}
