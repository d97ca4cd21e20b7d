using KernelIpsec.Ike.Config;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Logging;

/// <summary>
/// Microsoft.Extensions.Logging provider writing racoon-style lines to one sink. Filtering follows
/// <see cref="RacoonLogSettings.Level"/> (live, so SIGHUP and `log` changes apply at once).
/// </summary>
public sealed class RacoonLoggerProvider(IRacoonLogSink sink, RacoonLogSettings settings, TimeProvider? time = null) : ILoggerProvider
{
    private readonly IRacoonLogSink sink = sink;
    private readonly RacoonLogSettings settings = settings;
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public RacoonLogSettings Settings => settings;

    public IRacoonLogSink Sink => sink;

    public ILogger CreateLogger(string categoryName) => new RacoonLogger(this, ShortName(categoryName));

    public void Dispose() => sink.Dispose();

    /// <summary>`KernelIpsec.Keyd.Transport.IkeSocket` → `IkeSocket` (the -L location).</summary>
    public static string ShortName(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }

    private sealed class RacoonLogger(RacoonLoggerProvider provider, string location) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            RacoonLogLine.FromLogLevel(logLevel) is { } level && level <= provider.settings.Level;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (RacoonLogLine.FromLogLevel(logLevel, eventId) is not { } level || level > provider.settings.Level)
                return;
            var message = formatter(state, exception);
            if (exception != null)
                message = message.Length == 0 ? exception.Message : $"{message}: {exception.Message}";
            var body = RacoonLogLine.Body(level, provider.settings.PrintLocation ? location : null, message.TrimEnd('\n'));
            provider.sink.Write(provider.clock.GetLocalNow(), level, body);
        }
    }
}
