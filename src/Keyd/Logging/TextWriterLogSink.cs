using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Logging;

/// <summary>Log lines on a text writer: stderr in foreground mode (`-F`).</summary>
public sealed class TextWriterLogSink(TextWriter writer) : IRacoonLogSink
{
    private readonly Lock gate = new();

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
    }

    public void Dispose()
    {
    }
}
