using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.State;

/// <summary>
/// Keeps the daemon's SA records on disk as its SAs come and go: the list of its SAs
/// (<see cref="OwnedSaFile"/>, for the clean-up after a crash) and, when racoon.conf has
/// `path backupsa`, racoon's backup of the established SAs with their keys (<see cref="BackupSaFile"/>,
/// for -B). A file that cannot be written is logged, never fatal.
/// </summary>
public sealed partial class SaJournal(string? ownedFile, string? backupFile, TimeZoneInfo zone, ILogger logger)
{
    private readonly HashSet<SaId> unsavable = [];

    public string? OwnedFile { get; } = ownedFile;

    public string? BackupFile { get; } = backupFile;

    public void Save(IEnumerable<SaId> owned, IEnumerable<BackupSaLine> established)
    {
        if (OwnedFile is { } ownedPath)
            Try(() => OwnedSaFile.Write(ownedPath, owned), ownedPath);
        if (BackupFile is { } backupPath)
        {
            Try(() =>
            {
                foreach (var skipped in BackupSaFile.Write(backupPath, established, zone, Environment.ProcessId))
                {
                    if (unsavable.Add(skipped.Sa.Id))
                        LogUnsavable(logger, skipped.Sa.Id, backupPath);
                }
            }, backupPath);
        }
    }

    /// <summary>Clean exit: every SA of ours is gone, so are both files (racoon removes its backupsa file on SIGTERM).</summary>
    public void Clear()
    {
        foreach (var path in new[] { OwnedFile, BackupFile })
        {
            if (path is not null)
                Try(() => File.Delete(path), path);
        }
    }

    private void Try(Action write, string path)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCannotWrite(logger, path, e.Message);
        }
    }
}
