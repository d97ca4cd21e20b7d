using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Accounting;

/// <summary>
/// `mode_cfg { accounting system | pam; }` (racoon's isakmp_cfg_accounting): when the Mode Config server hands an
/// address to an XAuth user, the login is recorded (system: a utmp USER_PROCESS entry on line vpnSLOT, host the peer's
/// address; pam: the XAuth login's PAM session is opened), and when that phase 1 goes it is recorded as over
/// (DEAD_PROCESS; pam_close_session). Two ISAKMP SAs sharing a lease (a phase 1 rekey) are one login, over when the
/// last goes. The mode in force at the login is the one its logout uses, whatever a reload changed in between.
/// Runs on the daemon's loop, on the engine's Phase1Up / Phase1Down intents.
/// </summary>
public sealed partial class LoginAccounting(Func<RacoonConfig> config, ILoginRecords records, IPamSessions pam, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<(ulong, ulong), Login> bySa = [];
    private readonly Dictionary<string, Login> byLine = [];

    private sealed class Login(string mode, string line, string user)
    {
        public string Mode { get; } = mode;
        public string Line { get; } = line;
        public string User { get; } = user;
        public int Holders { get; set; }
    }

    /// <summary>The lines with a login recorded (tests, racoonctl).</summary>
    public IReadOnlyCollection<string> Lines => byLine.Keys;

    public void Observe(EngineIntent intent)
    {
        switch (intent)
        {
            case Phase1Up { Details: { PoolSlot: { } slot } details } up:
                LogIn((up.InitiatorCookie, up.ResponderCookie), $"vpn{slot}", details.XauthUser, up.Remote.Address);
                break;
            case Phase1Down down:
                LogOut((down.InitiatorCookie, down.ResponderCookie));
                break;
        }
    }

    private void LogIn((ulong, ulong) sa, string line, string? user, IPAddress peer)
    {
        var mode = config().ModeConfig?.Accounting ?? "none";
        if (mode is not ("system" or "pam") || bySa.ContainsKey(sa))
            return;
        if (string.IsNullOrEmpty(user))
        {
            // racoon's words, for a Mode Config client that did no XAuth.
            LogNoLogin(logger, mode);
            return;
        }
        if (byLine.TryGetValue(line, out var shared) && shared.User == user)
        {
            shared.Holders++;
            bySa[sa] = shared;
            return;
        }
        var host = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4().ToString() : peer.ToString();
        if (mode == "system")
        {
            LogLoggingOn(logger, user, line, host);
            if (!Try(() => records.Login(line, user, host, time.GetUtcNow())))
                return;
        }
        else if (!pam.Open(user, out var error))
        {
            LogFailed(logger, error ?? "pam_open_session failed");
            return;
        }
        var login = new Login(mode, line, user) { Holders = 1 };
        bySa[sa] = login;
        byLine[line] = login;
    }

    private void LogOut((ulong, ulong) sa)
    {
        if (!bySa.Remove(sa, out var login) || --login.Holders > 0)
            return;
        byLine.Remove(login.Line);
        if (login.Mode == "system")
        {
            LogUnlogging(logger, login.User, login.Line);
            Try(() => records.Logout(login.Line, time.GetUtcNow()));
        }
        else if (!pam.Close(login.User, out var error))
        {
            LogFailed(logger, error ?? "pam_close_session failed");
        }
    }

    private bool Try(Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (IOException e)
        {
            LogFailed(logger, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accounting : '{User}' logging on '{Line}' from {Host}.")]
    private static partial void LogLoggingOn(ILogger logger, string user, string line, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accounting : '{User}' unlogging from '{Line}'.")]
    private static partial void LogUnlogging(ILogger logger, string user, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Mode} accounting : no login found")]
    private static partial void LogNoLogin(ILogger logger, string mode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Accounting failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
