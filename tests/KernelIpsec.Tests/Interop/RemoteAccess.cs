using KernelIpsec.Tests.Infrastructure;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// The remote-access scenario's facts (the shared interop rig's `ra-*` variants): main mode, PSK + XAuth,
/// aes128-sha1-modp2048, Mode Config, then an ESP tunnel between the client's virtual IP/32 and the LAN behind the
/// server. A server in left hands out 10.77.9.1-10.77.9.10 (DNS 10.77.9.53), one in right 10.77.8.1-10.77.8.10 (DNS
/// 10.77.8.53). The XAuth accounts: <see cref="User"/> is the client's login; <see cref="User2"/>'s password on every
/// server is <see cref="Password2"/>, while a client that must fail holds <see cref="BadPassword"/> for it.
/// </summary>
public static class RemoteAccess
{
    public const string User = "ikev1rig";
    public const string Password = "ikev1-rig-xauth-pw-4567";
    public const string User2 = "ikev1rig2";
    public const string Password2 = "ikev1-rig-xauth-pw-other";
    public const string BadPassword = "not-the-password";

    public const string LeftPool = "10.77.9.0/24";
    public const string LeftPoolFirst = "10.77.9.1";
    public const string LeftPoolLast = "10.77.9.10";
    public const string LeftDns = "10.77.9.53";

    public const string RightPool = "10.77.8.0/24";
    public const string RightPoolFirst = "10.77.8.1";
    public const string RightPoolLast = "10.77.8.10";
    public const string RightDns = "10.77.8.53";

    public const string Ike = "aes128-sha1-modp2048";
    public const string Esp = "aes128-sha1-modp2048";

    /// <summary>
    /// DIR/etc/passwd and DIR/etc/shadow: this machine's entries plus <see cref="User"/> and <see cref="User2"/>
    /// (uid 64101/64102, nologin, SHA-512 crypt hashes from `openssl passwd -6`), to be bind-mounted over /etc for
    /// a daemon with `auth_source system`: nothing on the machine changes, the accounts exist for that daemon only.
    /// </summary>
    /// <returns>The (file, over) pairs to bind-mount.</returns>
    public static IReadOnlyList<(string Source, string Target)> WriteAccounts(string directory)
    {
        var etc = Path.Combine(directory, "etc");
        Directory.CreateDirectory(etc);
        var ours = new[] { (User, Password, 64101, "ikev1rig1salt"), (User2, Password2, 64102, "ikev1rig2salt") };
        bool Foreign(string line) => ours.All(o => !line.StartsWith(o.Item1 + ":", StringComparison.Ordinal));
        var passwd = File.ReadAllLines("/etc/passwd").Where(Foreign)
            .Concat(ours.Select(o => $"{o.Item1}:x:{o.Item3}:{o.Item3}:kernelipsec remote-access user:/nonexistent:/usr/sbin/nologin"));
        var shadow = (File.Exists("/etc/shadow") ? File.ReadAllLines("/etc/shadow") : []).Where(Foreign)
            .Concat(ours.Select(o => $"{o.Item1}:{Shell.Run("openssl", $"passwd -6 -salt {o.Item4} {o.Item2}").Trim()}:20000:0:99999:7:::"));
        var passwdPath = Path.Combine(etc, "passwd");
        var shadowPath = Path.Combine(etc, "shadow");
        File.WriteAllLines(passwdPath, passwd);
        File.WriteAllLines(shadowPath, shadow);
        File.SetUnixFileMode(shadowPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return [(passwdPath, "/etc/passwd"), (shadowPath, "/etc/shadow")];
    }

    /// <summary>Whether <paramref name="address"/> lies in first..last (same /24).</summary>
    public static bool InPool(string address, string first, string last)
    {
        var a = address.Split('.');
        var f = first.Split('.');
        var l = last.Split('.');
        return a.Length == 4 && a.AsSpan(0, 3).SequenceEqual(f.AsSpan(0, 3)) && int.TryParse(a[3], out var n)
               && n >= int.Parse(f[3]) && n <= int.Parse(l[3]);
    }
}
