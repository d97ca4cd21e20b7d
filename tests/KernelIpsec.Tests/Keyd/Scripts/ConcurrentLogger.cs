using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Tests.Keyd.Scripts;

/// <summary>Log lines ("INFO: ...") from any thread: scripts log from their own tasks.</summary>
internal sealed class ConcurrentLogger : ILogger
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var prefix = logLevel switch
        {
            LogLevel.Error or LogLevel.Critical => "ERROR",
            LogLevel.Warning => "WARNING",
            LogLevel.Information => "INFO",
            _ => "DEBUG",
        };
        lines.Enqueue($"{prefix}: {formatter(state, exception)}");
    }

    public override string ToString() => string.Join(Environment.NewLine, lines);
}
