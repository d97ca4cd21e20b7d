using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Xauth;

/// <summary>
/// `auth_source system` and `group_source system` (racoon's xauth_login_system, xauth_group_system): the user must
/// be known to both getspnam and getpwnam, must not be uid 0 ("No root login. Ever."), and crypt(3) of the password
/// with the shadow hash as setting must give the shadow hash. A group's members are its gr_mem list (the primary
/// group does not count, as in racoon).
/// </summary>
public sealed partial class SystemXauthAuthenticator(IAccountDatabase accounts, ILogger logger) : IXauthAuthenticator
{
    public bool Authenticate(string user, ReadOnlySpan<byte> password, out string? reason)
    {
        var account = accounts.FindUser(user);
        if (account is null)
        {
            reason = "no such user in the system account database";
            return false;
        }
        if (account.Uid == 0)
        {
            reason = "uid 0 never logs in";
            return false;
        }
        if (account.ShadowHash is not { } hash || !Crypt.Verify(password, hash))
        {
            reason = "password mismatch";
            return false;
        }
        reason = null;
        return true;
    }

    public bool IsMemberOf(string user, string group)
    {
        var members = accounts.GroupMembers(group);
        if (members is null)
        {
            LogUnknownGroup(logger, group);
            return false;
        }
        if (!members.Contains(user, StringComparer.Ordinal))
            return false;
        LogMembershipValidated(logger);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "the system group name '{Group}' is unknown")]
    private static partial void LogUnknownGroup(ILogger logger, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "membership validated")]
    private static partial void LogMembershipValidated(ILogger logger);
}
