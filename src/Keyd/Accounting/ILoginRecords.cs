namespace KernelIpsec.Keyd.Accounting;

/// <summary>The system's login records (utmp) as `mode_cfg { accounting system; }` writes them.</summary>
public interface ILoginRecords
{
    /// <summary>A USER_PROCESS entry: <paramref name="user"/> logged in on <paramref name="line"/> from <paramref name="host"/>.</summary>
    void Login(string line, string user, string host, DateTimeOffset at);

    /// <summary>The entry of <paramref name="line"/> becomes a DEAD_PROCESS one.</summary>
    void Logout(string line, DateTimeOffset at);
}
