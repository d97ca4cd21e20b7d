using Microsoft.Extensions.Logging;

namespace KernelIpsec.Tests.Ike.Engine;

/// <summary>Collects log lines as racoon would print them ("INFO: ..."), for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines => lines;

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
        lines.Add($"{prefix}: {formatter(state, exception)}");
    }

    public bool Contains(string fragment) => lines.Any(l => l.Contains(fragment, StringComparison.Ordinal));

    public override string ToString() => string.Join(Environment.NewLine, lines);
}
