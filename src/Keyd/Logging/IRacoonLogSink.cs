using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Logging;

/// <summary>Where formatted log entries go (stderr, a `-l` file, syslog). Implementations are thread-safe.</summary>
public interface IRacoonLogSink : IDisposable
{
    void Write(DateTimeOffset time, RacoonLogLevel level, string body);

    /// <summary>Reopen after log rotation (SIGHUP); a no-op where that means nothing.</summary>
    void Reopen();
}
