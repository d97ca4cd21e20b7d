using System.Runtime.InteropServices;

namespace KernelIpsec.Keyd.Xauth;

/// <summary>
/// getpwnam(3), getspnam(3) and getgrnam(3), as racoon's xauth_login_system and xauth_group_system call them: every
/// NSS source the system is configured with (files, sssd, LDAP). Their results live in static buffers, so lookups are
/// serialised and copied out at once. getspnam needs root (or the shadow group), as racoon did.
/// </summary>
public sealed partial class NssAccountDatabase : IAccountDatabase
{
    private static readonly Lock Gate = new();

    public Account? FindUser(string name)
    {
        lock (Gate)
        {
            var spw = getspnam(name);
            if (spw == IntPtr.Zero)
                return null;
            // struct spwd { char *sp_namp; char *sp_pwdp; ... }
            var hash = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(spw, IntPtr.Size));
            var pw = getpwnam(name);
            if (pw == IntPtr.Zero)
                return null;
            // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
            var uid = (uint)Marshal.ReadInt32(pw, 2 * IntPtr.Size);
            return new Account(name, uid, hash);
        }
    }

    public IReadOnlyList<string>? GroupMembers(string group)
    {
        lock (Gate)
        {
            var gr = getgrnam(group);
            if (gr == IntPtr.Zero)
                return null;
            // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; char **gr_mem; } (gr_mem after padding)
            var members = Marshal.ReadIntPtr(gr, 3 * IntPtr.Size);
            var list = new List<string>();
            for (var i = 0; members != IntPtr.Zero; i++)
            {
                var member = Marshal.ReadIntPtr(members, i * IntPtr.Size);
                if (member == IntPtr.Zero)
                    break;
                list.Add(Marshal.PtrToStringUTF8(member) ?? "");
            }
            return list;
        }
    }

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    [LibraryImport("libc", EntryPoint = "getspnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getspnam(string name);

    [LibraryImport("libc", EntryPoint = "getgrnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getgrnam(string name);
}
