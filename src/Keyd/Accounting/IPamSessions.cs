namespace KernelIpsec.Keyd.Accounting;

/// <summary>
/// `mode_cfg { accounting pam; }`: the PAM handles of accepted XAuth logins (auth_source pam) kept for their session,
/// opened when the user gets an address and closed when the phase 1 goes, as racoon's isakmp_cfg_accounting_pam.
/// </summary>
public interface IPamSessions
{
    /// <summary>pam_open_session on a handle a login of <paramref name="user"/> left; false with PAM's words (or why there is none).</summary>
    bool Open(string user, out string? error);

    /// <summary>pam_close_session and pam_end on a session of <paramref name="user"/> opened before; false with PAM's words.</summary>
    bool Close(string user, out string? error);
}
