using System.Text;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Logging;

/// <summary>
/// The `-l` log file: appended to, flushed per line, reopened on SIGHUP so logrotate's move-and-signal works.
/// Created 0600 (racoon runs with umask 077).
/// </summary>
public sealed class FileLogSink : IRacoonLogSink
{
    private readonly string path;
    private readonly Lock gate = new();
    private StreamWriter writer;

    public FileLogSink(string path)
    {
        this.path = path;
        writer = Open(path);
    }

    public void Write(DateTimeOffset time, RacoonLogLevel level, string body)
    {
        lock (gate)
        {
            writer.Write(RacoonLogLine.Line(time, body) + "\n");
            writer.Flush();
        }
    }

    public void Reopen()
    {
        lock (gate)
        {
            var fresh = Open(path);
            writer.Dispose();
            writer = fresh;
        }
    }

    public void Dispose()
    {
        lock (gate)
            writer.Dispose();
    }

    private static StreamWriter Open(string path)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        return new StreamWriter(stream, new UTF8Encoding(false));
    }
}
