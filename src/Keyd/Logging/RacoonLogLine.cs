using System.Globalization;
using KernelIpsec.Ike.Config;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Logging;

/// <summary>racoon's plog line: <c>2026-11-23 10:00:00: INFO: message</c> (local time, level names of plog.c).</summary>
public static class RacoonLogLine
{
    /// <summary>Event id name that turns an Information entry into racoon's NOTIFY level.</summary>
    public const string NotifyEventName = "NOTIFY";

    public static readonly EventId Notify = new(3, NotifyEventName);

    public static string LevelName(RacoonLogLevel level) => level switch
    {
        RacoonLogLevel.Error => "ERROR",
        RacoonLogLevel.Warning => "WARNING",
        RacoonLogLevel.Notify => "NOTIFY",
        RacoonLogLevel.Info => "INFO",
        RacoonLogLevel.Debug => "DEBUG",
        _ => "DEBUG2",
    };

    /// <summary>Maps a Microsoft.Extensions.Logging level to racoon's; <c>None</c> maps to null.</summary>
    public static RacoonLogLevel? FromLogLevel(LogLevel level, EventId eventId = default) => level switch
    {
        LogLevel.Critical or LogLevel.Error => RacoonLogLevel.Error,
        LogLevel.Warning => RacoonLogLevel.Warning,
        LogLevel.Information when eventId.Name == NotifyEventName => RacoonLogLevel.Notify,
        LogLevel.Information => RacoonLogLevel.Info,
        LogLevel.Debug => RacoonLogLevel.Debug,
        LogLevel.Trace => RacoonLogLevel.Debug2,
        _ => null,
    };

    /// <summary>The message part shared by every sink: <c>LEVEL: [location: ]message</c>.</summary>
    public static string Body(RacoonLogLevel level, string? location, string message) =>
        location == null ? $"{LevelName(level)}: {message}" : $"{LevelName(level)}: {location}: {message}";

    /// <summary>A whole line as racoon writes it to its log file or stderr.</summary>
    public static string Format(DateTimeOffset time, RacoonLogLevel level, string? location, string message) =>
        Line(time, Body(level, location, message));

    /// <summary><c>2026-11-23 10:00:00: </c> (local time) followed by <paramref name="body"/>.</summary>
    public static string Line(DateTimeOffset time, string body) =>
        time.LocalDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + ": " + body;
}
