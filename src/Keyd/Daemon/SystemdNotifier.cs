using System.Net.Sockets;
using System.Text;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>
/// sd_notify(3) by hand: one datagram with <c>READY=1</c> etc. to the AF_UNIX socket named in
/// $NOTIFY_SOCKET (a leading '@' means the abstract namespace). Without the variable it does nothing,
/// so the daemon runs the same outside systemd (`Type=notify` units set it).
/// </summary>
public sealed class SystemdNotifier(string? socketPath)
{
    public const string EnvironmentVariable = "NOTIFY_SOCKET";

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public bool Enabled => !string.IsNullOrEmpty(socketPath);

    /// <summary>CLOCK_MONOTONIC in microseconds, which Stopwatch reads on Linux.</summary>
    public static long MonotonicMicroseconds() => System.Diagnostics.Stopwatch.GetTimestamp() / (System.Diagnostics.Stopwatch.Frequency / 1_000_000);

    /// <summary>Sends <paramref name="state"/> (e.g. "READY=1\nMAINPID=42"); returns false when not under systemd or on error.</summary>
    public bool Notify(string state)
    {
        if (string.IsNullOrEmpty(socketPath))
            return false;
        var path = socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
