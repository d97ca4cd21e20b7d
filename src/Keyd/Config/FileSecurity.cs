using System.Runtime.InteropServices;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// Owner and mode of a file as racoon's <c>safefile()</c> sees them. Uses statx(2), whose structure
/// layout is the same on every Linux architecture (stx_uid at offset 20, stx_mode at offset 28).
/// </summary>
internal static unsafe partial class FileSecurity
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const uint FileTypeMask = 0xF000;
    private const uint RegularFile = 0x8000;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();

    public static uint EffectiveUid => GetEffectiveUid();

    /// <summary>(owner uid, full st_mode) or an errno message.</summary>
    public static bool TryStat(string path, out uint uid, out uint mode, out string? error)
    {
        var buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            uid = 0;
            mode = 0;
            error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return false;
        }
        uid = *(uint*)(buffer + 20);
        mode = *(ushort*)(buffer + 28);
        error = null;
        return true;
    }

    /// <summary>
    /// racoon's secret-file rule: a regular file owned by us (or root) with no group/other permission bits.
    /// Returns null when the file is acceptable, else the problem and the command that fixes it.
    /// </summary>
    public static string? CheckSecretFile(string path)
    {
        if (!TryStat(path, out var uid, out var mode, out var error))
            return $"cannot stat {path}: {error}";
        if ((mode & FileTypeMask) != RegularFile)
            return $"{path} is an invalid file type: it must be a regular file";
        var me = EffectiveUid;
        if (uid != me && uid != 0)
            return $"{path} has invalid owner uid {uid}: it must be owned by uid {me}{(me == 0 ? " (root)" : "")}; fix: chown {(me == 0 ? "root" : me.ToString(System.Globalization.CultureInfo.InvariantCulture))} {path}";
        if ((mode & 0x3F) != 0)
            return $"{path} has weak file permission {Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0')}: group and others must have no access; fix: chmod 600 {path}";
        return null;
    }
}
