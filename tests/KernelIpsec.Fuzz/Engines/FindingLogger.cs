using Microsoft.Extensions.Logging;

namespace KernelIpsec.Fuzz.Engines;

/// <summary>
/// The engine catches every exception a packet causes (the daemon must not die) and logs it as "internal error
/// while handling a packet". For the fuzzer that line is the crash: this logger keeps its exception for
/// <see cref="ThrowIfInternalError"/> to rethrow.
/// </summary>
internal sealed class FindingLogger : ILogger
{
    private Exception? internalError;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is not null && internalError is null && formatter(state, exception).StartsWith("internal error", StringComparison.Ordinal))
        {
            internalError = exception;
        }
    }

    public void ThrowIfInternalError()
    {
        if (internalError is { } e)
        {
            internalError = null;
            throw new FuzzFindingException("the engine logged an internal error", e);
        }
    }
}
