using System.Globalization;
using System.Runtime.InteropServices;

namespace KernelIpsec.Keyd.Logging;

/// <summary>
/// Whether a descriptor is systemd's journal stream: systemd sets JOURNAL_STREAM to "DEV:INO" (st_dev and
/// st_ino, decimal) of the socket it connected to stdout/stderr, and a daemon whose descriptor still has that
/// identity may prefix lines with a syslog priority (sd-daemon(3): "&lt;3&gt;" error ... "&lt;7&gt;" debug).
/// A redirected stderr keeps the variable but not the identity, so it gets plain lines.
/// </summary>
public static unsafe partial class JournalStream
{
    public const string EnvironmentVariable = "JOURNAL_STREAM";
    private const int StandardError = 2;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>True when stderr is the journal stream systemd named in JOURNAL_STREAM.</summary>
    public static bool IsStandardError() => Matches(Environment.GetEnvironmentVariable(EnvironmentVariable), StandardError);

    /// <summary>True when <paramref name="value"/> ("DEV:INO") names the file open on <paramref name="fd"/>.</summary>
    public static bool Matches(string? value, int fd)
    {
        return value?.Split(':') is [var devText, var inoText]
            && ulong.TryParse(devText, NumberStyles.None, CultureInfo.InvariantCulture, out var dev)
            && ulong.TryParse(inoText, NumberStyles.None, CultureInfo.InvariantCulture, out var ino)
            && Identity(fd) is { } actual && actual.Dev == dev && actual.Ino == ino;
    }

    /// <summary>st_dev (glibc's makedev encoding) and st_ino of <paramref name="fd"/>, from statx(2), whose layout is the same on every architecture.</summary>
    public static (ulong Dev, ulong Ino)? Identity(int fd)
    {
        var buffer = stackalloc byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxIno, buffer) != 0)
            return null;
        var ino = *(ulong*)(buffer + 32);
        ulong major = *(uint*)(buffer + 136);
        ulong minor = *(uint*)(buffer + 140);
        var dev = (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffUL) << 12) | ((major & ~0xfffUL) << 32);
        return (dev, ino);
    }
}
