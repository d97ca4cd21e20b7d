using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Xauth;

/// <summary>
/// The account check `mode_cfg { auth_source ...; group_source ...; }` asks for. `system` and `pam` are built;
/// `radius` and `ldap` are refused (the configuration check reports them first, with where they stand).
/// </summary>
public static class XauthAuthenticators
{
    /// <summary>What `racoon --check`, start and reload say about a `radius` or `ldap` source.</summary>
    public static string NotSupported(string keyword, string source) =>
        $"{keyword} {source} is not supported by this racoon: use {keyword switch
        {
            "auth_source" => "system or pam",
            _ => "system",
        }}";

    /// <param name="accounts">The system account database (default: libc's getpwnam/getspnam/getgrnam).</param>
    /// <param name="sessions">Where `auth_source pam` keeps accepted logins' handles when `accounting pam` is on.</param>
    public static IXauthAuthenticator For(ModeConfigServer config, ILogger logger, IAccountDatabase? accounts = null, Accounting.PamSessions? sessions = null)
    {
        if (config.GroupSource != "system")
            throw new NotSupportedException(NotSupported("group_source", config.GroupSource));
        var system = new SystemXauthAuthenticator(accounts ?? new NssAccountDatabase(), logger);
        return config.AuthSource switch
        {
            "system" => system,
            "pam" => new PamXauthAuthenticator(system, sessions: config.Accounting == "pam" ? sessions : null),
            _ => throw new NotSupportedException(NotSupported("auth_source", config.AuthSource)),
        };
    }
}
