namespace KernelIpsec.Keyd.Xauth;

/// <summary>A user as getpwnam(3) and getspnam(3) give it: uid and the crypt(3) hash (from shadow when there is one).</summary>
public sealed record Account(string Name, uint Uid, string? ShadowHash);

/// <summary>
/// The local account database racoon's `auth_source system` and `group_source system` consult: getpwnam +
/// getspnam, getgrnam. <see cref="NssAccountDatabase"/> asks libc (NSS, as racoon); <see cref="FileAccountDatabase"/>
/// reads passwd/shadow/group files (tests, and a daemon whose accounts live beside its configuration).
/// </summary>
public interface IAccountDatabase
{
    /// <summary>The user, or null when getpwnam or getspnam does not know it (racoon needs both).</summary>
    Account? FindUser(string name);

    /// <summary>The group's member list (gr_mem), or null when getgrnam does not know the group.</summary>
    IReadOnlyList<string>? GroupMembers(string group);
}
