namespace KernelIpsec.Ike.Sa;

/// <summary>
/// What script hooks and racoonctl learn about an ISAKMP SA besides its endpoints and cookies: the peer's ID as
/// racoon prints it (REMOTE_ID), the XAuth login the server accepted or the client used (XAUTH_USER), and the
/// Mode Config attributes the client received or the server handed out, and, on a server, the pool slot of the address
/// it handed out (racoon's port: address = network4 + slot; login accounting names the line vpnSLOT).
/// </summary>
public sealed record Phase1Details(string? PeerId = null, string? XauthUser = null, ModeCfgAttributes? ModeCfg = null, int? PoolSlot = null);
