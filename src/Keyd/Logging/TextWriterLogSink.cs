using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Logging;

/// <summary>
/// Log lines on a text writer: stderr in foreground mode (`-F`). With <paramref name="journal"/> (stderr is
/// systemd's journal stream) each line starts with its syslog priority, <c>&lt;3&gt;ERROR: ...</c>, so
/// `journalctl -p err` selects racoon's errors, and carries no timestamp, which the journal adds itself.
/// </summary>
public sealed class TextWriterLogSink(TextWriter writer, bool journal = false) : IRacoonLogSink
{
    private readonly Lock gate = new();

    public void Write(DateTimeOffset time, RacoonLogLevel level, string body)
    {
        // The journal splits entries at newlines: each line of a multi-line body carries the priority.
        var line = journal ? $"<{SyslogLogSink.Severity(level)}>" + body.Replace("\n", $"\n<{SyslogLogSink.Severity(level)}>", StringComparison.Ordinal)
            : RacoonLogLine.Line(time, body);
        lock (gate)
        {
            writer.Write(line + "\n");
            writer.Flush();
        }
    }

    public void Reopen()
    {
    }

    public void Dispose()
    {
    }
}
