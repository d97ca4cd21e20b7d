namespace KernelIpsec.Ike.Sa;

/// <summary>
/// An XAuth server's account check, as `mode_cfg { auth_source ...; group_source ...; }` configures it (racoon's
/// xauth_login_system / xauth_login_pam, xauth_group_system). The daemon implements it; the engine only asks.
/// </summary>
public interface IXauthAuthenticator
{
    /// <summary>Checks a login; on refusal <paramref name="reason"/> says why (for the log, never the password).</summary>
    bool Authenticate(string user, ReadOnlySpan<byte> password, out string? reason);

    /// <summary>Whether <paramref name="user"/> is a member of <paramref name="group"/> (auth_groups).</summary>
    bool IsMemberOf(string user, string group);
}
