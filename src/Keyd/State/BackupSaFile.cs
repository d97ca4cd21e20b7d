using System.Text;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Netlink;

namespace KernelIpsec.Keyd.State;

/// <summary>One line of a backupsa file as read: its number and the SA, or why it was not understood.</summary>
public sealed record BackupSaRead(int Line, BackupSaLine? Entry, string? Problem);

/// <summary>racoon's `path backupsa` file: the installed SAs with their keys, one <see cref="BackupSaLine"/> each; `#` lines are comments.</summary>
public static class BackupSaFile
{
    /// <summary>Writes the file anew (0600) with these SAs; those racoon's format cannot carry are left out and returned.</summary>
    public static IReadOnlyList<BackupSaLine> Write(string path, IEnumerable<BackupSaLine> entries, TimeZoneInfo zone, int pid)
    {
        var text = new StringBuilder();
        text.Append("# racoon (KernelIpsec) pid ").Append(pid).Append(": IPsec SAs with their keys, for racoon -B; keep this file secret\n");
        var skipped = new List<BackupSaLine>();
        foreach (var entry in entries)
        {
            if (entry.Format(zone) is { } line)
                text.Append(line).Append('\n');
            else
                skipped.Add(entry);
        }
        AtomicFile.Write(path, text.ToString());
        return skipped;
    }

    /// <summary>
    /// Reads the file for -B after racoon's secret-file check (owned by us or root, no group/other access);
    /// throws <see cref="IOException"/> saying what is wrong with the file. Bad lines are returned with their problem.
    /// </summary>
    public static IReadOnlyList<BackupSaRead> Read(string path, TimeZoneInfo zone, KernelCapabilities kernel)
    {
        if (FileSecurity.CheckSecretFile(path) is { } problem)
            throw new IOException($"failed to open the backup file {path}: {problem}");
        var result = new List<BackupSaRead>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
                continue;
            try
            {
                result.Add(new BackupSaRead(number, BackupSaLine.Parse(line, zone, kernel), null));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                result.Add(new BackupSaRead(number, null, e.Message));
            }
        }
        return result;
    }
}
