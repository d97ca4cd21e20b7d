namespace KernelIpsec.Ike.Sa;

/// <summary>
/// What script hooks and racoonctl learn about an ISAKMP SA besides its endpoints and cookies: the peer's ID as
/// racoon prints it (REMOTE_ID), the XAuth login the server accepted or the client used (XAUTH_USER), and the
/// Mode Config attributes the client received or the server handed out.
/// </summary>
public sealed record Phase1Details(string? PeerId = null, string? XauthUser = null, ModeCfgAttributes? ModeCfg = null);
