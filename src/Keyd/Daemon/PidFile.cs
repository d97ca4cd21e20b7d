namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// racoon's pid file: `path pidfile` (relative names under /var/run) or /var/run/racoon.pid, contents
/// <c>"%ld\n"</c>, written once the daemon is ready and removed on a clean exit.
/// </summary>
public sealed class PidFile : IDisposable
{
    public const string DefaultPath = "/var/run/racoon.pid";

    public string Path { get; }

    private PidFile(string path) => Path = path;

    /// <summary>Where racoon puts the pid file for a configured `path pidfile` value.</summary>
    public static string Resolve(string? configured) =>
        string.IsNullOrEmpty(configured) ? DefaultPath
        : System.IO.Path.IsPathRooted(configured) ? configured
        : System.IO.Path.Combine("/var/run", configured);

    /// <summary>Writes <paramref name="processId"/> to <paramref name="path"/> (replacing a stale file).</summary>
    public static PidFile Write(string path, int processId)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, processId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temporary, path, overwrite: true);
        return new PidFile(path);
    }

    /// <summary>
    /// The pid of another racoon still running according to the pid file at <paramref name="path"/>, or null
    /// (no file, a stale pid, a pid now used by some other program, or this very process).
    /// </summary>
    public static int? OtherRunningRacoon(string path)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId)
            {
                return null;
            }

            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("racoon", StringComparison.Ordinal) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Gone already or on a read-only file system: nothing left to clean up.
        }
    }
}
