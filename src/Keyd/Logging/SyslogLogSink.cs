using System.Globalization;
using System.Net.Sockets;
using System.Text;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Logging;

/// <summary>
/// syslog(3) written by hand: one datagram per entry to /dev/log, facility LOG_DAEMON, tag <c>racoon[pid]</c>,
/// the body as racoon's plog passes it to syslog (<c>INFO: message</c>, no timestamp of its own). Like
/// syslog(3), entries are dropped while no syslog daemon listens; the socket is retried on the next entry.
/// </summary>
public sealed class SyslogLogSink(string socketPath = SyslogLogSink.DefaultSocketPath, int? processId = null) : IRacoonLogSink
{
    public const string DefaultSocketPath = "/dev/log";
    private const int LogDaemon = 3 << 3;

    private readonly Lock gate = new();
    private readonly int pid = processId ?? Environment.ProcessId;
    private Socket? socket;

    public static int Severity(RacoonLogLevel level) => level switch
    {
        RacoonLogLevel.Error => 3,
        RacoonLogLevel.Warning => 4,
        RacoonLogLevel.Notify => 5,
        RacoonLogLevel.Info => 6,
        _ => 7,
    };

    /// <summary>The datagram for one entry (RFC 3164 as glibc's syslog(3) writes it to /dev/log).</summary>
    public static string Datagram(DateTimeOffset time, RacoonLogLevel level, string body, int pid)
    {
        var local = time.LocalDateTime;
        var stamp = local.ToString("MMM", CultureInfo.InvariantCulture) + " " +
                    local.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + " " +
                    local.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return $"<{LogDaemon | Severity(level)}>{stamp} racoon[{pid}]: {body}";
    }

    public void Write(DateTimeOffset time, RacoonLogLevel level, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(Datagram(time, level, body, pid));
        lock (gate)
        {
            try
            {
                socket ??= Connect();
                socket.Send(bytes);
            }
            catch (SocketException)
            {
                socket?.Dispose();
                socket = null;
            }
        }
    }

    public void Reopen()
    {
        lock (gate)
        {
            socket?.Dispose();
            socket = null;
        }
    }

    public void Dispose() => Reopen();

    private Socket Connect()
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(socketPath));
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }
}
