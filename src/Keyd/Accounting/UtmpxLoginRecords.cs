using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace KernelIpsec.Keyd.Accounting;

/// <summary>
/// utmp through glibc: <c>utmpxname</c> (so a test can name its own file), <c>setutxent</c>, <c>pututxline</c>,
/// <c>endutxent</c>, as racoon's isakmp_cfg_accounting_system writes it (utmp only; racoon writes no wtmp). The
/// entry is laid out by hand: glibc's struct utmpx on x86-64 (32-bit ut_session and ut_tv, 384 bytes) or on other
/// 64-bit targets (64-bit ut_session and ut_tv, 400 bytes). ut_id is the line's last four characters (racoon leaves
/// it empty, which makes glibc match entries by line; an id keeps two lines from ever sharing an entry).
/// </summary>
public sealed partial class UtmpxLoginRecords(string file = UtmpxLoginRecords.SystemFile) : ILoginRecords
{
    /// <summary>glibc's _PATH_UTMPX.</summary>
    public const string SystemFile = "/var/run/utmp";

    private const short UserProcess = 7;
    private const short DeadProcess = 8;
    private const int LineOffset = 8;
    private const int IdOffset = 40;
    private const int UserOffset = 44;
    private const int HostOffset = 76;
    private const int SessionOffset = 336;

    private static readonly bool Time32 = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>sizeof(struct utmpx) on this machine.</summary>
    public static int EntrySize => Time32 ? 384 : 400;

    public string File { get; } = file;

    public void Login(string line, string user, string host, DateTimeOffset at) => Put(Entry(UserProcess, line, user, host, at));

    public void Logout(string line, DateTimeOffset at) => Put(Entry(DeadProcess, line, "", "", at));

    /// <summary>The bytes of one struct utmpx.</summary>
    public static byte[] Entry(short type, string line, string user, string host, DateTimeOffset at)
    {
        var entry = new byte[EntrySize];
        BinaryPrimitives.WriteInt16LittleEndian(entry, type);
        Text(entry.AsSpan(LineOffset, 32), line);
        Encoding.ASCII.GetBytes(line.Length > 4 ? line[^4..] : line).CopyTo(entry.AsSpan(IdOffset, 4));
        Text(entry.AsSpan(UserOffset, 32), user);
        Text(entry.AsSpan(HostOffset, 256), host);
        var micro = at.ToUnixTimeMilliseconds() % 1000 * 1000;
        if (Time32)
        {
            BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(SessionOffset + 4), (int)at.ToUnixTimeSeconds());
            BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(SessionOffset + 8), (int)micro);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(SessionOffset + 8), at.ToUnixTimeSeconds());
            BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(SessionOffset + 16), micro);
        }
        return entry;
    }

    // Truncated to the field, NUL-padded (strlcpy leaves room for a NUL; the fields are not required to end in one).
    private static void Text(Span<byte> field, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes.AsSpan(0, Math.Min(bytes.Length, field.Length - 1)).CopyTo(field);
    }

    private void Put(byte[] entry)
    {
        if (utmpxname(File) != 0)
            throw new IOException($"utmpxname {File}: {Marshal.GetLastPInvokeErrorMessage()}");
        setutxent();
        try
        {
            if (pututxline(entry) == IntPtr.Zero)
                throw new IOException($"pututxline {File}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            endutxent();
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int utmpxname(string file);

    [LibraryImport("libc")]
    private static partial void setutxent();

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr pututxline(byte[] entry);

    [LibraryImport("libc")]
    private static partial void endutxent();
}
