namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>ADMIN_LOGOUT_USER's payload: the login, not NUL-terminated, at most LOGINLEN bytes (racoon's isakmp_cfg.h).</summary>
internal static class AdminLogin
{
    public const int MaxLength = 31;
}
