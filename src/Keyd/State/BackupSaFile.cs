using System.Text;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.State;

/// <summary>One line of a backupsa file as read: its number and the SA, or why it was not understood.</summary>
public sealed record BackupSaRead(int Line, BackupSaLine? Entry, string? Problem);

/// <summary>racoon's `path backupsa` file: the installed SAs with their keys, one <see cref="BackupSaLine"/> each; `#` lines are comments.</summary>
public static class BackupSaFile
{
    /// <summary>Writes the file anew (0600) with these SAs (NAT-T ones after their <c>#nat_t</c> line); those the format cannot carry are left out and returned.</summary>
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
        // A #nat_t line belongs to the SA line right after it; one that cannot be read spoils that SA too, which
        // without its encapsulation would only drop the peer's packets.
        (NatTraversal? Encapsulation, string? Problem)? pending = null;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.StartsWith(BackupSaLine.NatTraversalPrefix, StringComparison.Ordinal))
            {
                try
                {
                    pending = (BackupSaLine.ParseNatTraversal(line), null);
                }
                catch (FormatException e)
                {
                    pending = (null, e.Message);
                    result.Add(new BackupSaRead(number, null, e.Message));
                }
                continue;
            }
            if (line.Length == 0 || line[0] == '#')
                continue;
            var (encapsulation, spoiled) = pending ?? (null, null);
            pending = null;
            try
            {
                var entry = BackupSaLine.Parse(line, zone, kernel);
                if (spoiled is not null)
                    result.Add(new BackupSaRead(number, null, $"its {BackupSaLine.NatTraversalPrefix.Trim()} line is unreadable: {spoiled}"));
                else
                    result.Add(new BackupSaRead(number, encapsulation is null ? entry : entry with { Sa = entry.Sa with { NatTraversal = encapsulation } }, null));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                result.Add(new BackupSaRead(number, null, e.Message));
            }
        }
        return result;
    }
}
