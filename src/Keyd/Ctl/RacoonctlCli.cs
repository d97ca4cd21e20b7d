using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KernelIpsec.Keyd.AdminProtocol;

namespace KernelIpsec.Keyd.Ctl;

/// <summary>
/// racoonctl: `racoonctl [-d] [-l [-l]] [-s socket] command args`, one admin request per run, output as
/// racoonctl 0.8.2 prints it. <paramref name="exchange"/> sends a request to a socket path and returns the
/// reply; <paramref name="stream"/> does the same for show-event, returning the reply and then every pushed
/// event until racoon closes the connection (the Unix socket by default; tests pass their own).
/// <paramref name="readPassword"/> is getpass(3) for `-u` (tests pass their own).
/// </summary>
public static partial class RacoonctlCli
{
    public const string DefaultSocketPath = "/var/racoon/racoon.sock";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Func<string, byte[], byte[]>? exchange = null, TimeZoneInfo? zone = null,
        Func<string, byte[], IEnumerable<byte[]>>? stream = null, Func<string, string?>? readPassword = null)
    {
        exchange ??= (path, request) => AdminClient.Exchange(path, request);
        readPassword ??= Getpass.Read;
        stream ??= AdminClient.Stream;
        zone ??= TimeZoneInfo.Local;
        var socketPath = DefaultSocketPath;
        var longFormat = 0;
        var hexdump = false;
        var i = 0;
        // POSIXLY_CORRECT getopt: options end at the first non-option (the command).
        for (; i < args.Count && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            for (var j = 1; j < arg.Length; j++)
            {
                switch (arg[j])
                {
                    case 'l':
                        longFormat++;
                        break;
                    case 'd':
                        hexdump = true;
                        break;
                    case 's':
                        if (j + 1 < arg.Length)
                            socketPath = arg[(j + 1)..];
                        else if (i + 1 < args.Count)
                            socketPath = args[++i];
                        else
                            return Usage(stdout, stderr, "option requires an argument -- 's'");
                        j = arg.Length;
                        break;
                    default:
                        return Usage(stdout, stderr, $"invalid option -- '{arg[j]}'");
                }
            }
        }
        if (i >= args.Count)
            return Usage(stdout, stderr, null);

        Request request;
        try
        {
            request = Build(args[i], args.Skip(i + 1).ToList(), readPassword, stderr);
        }
        catch (RacoonctlUsageException e)
        {
            if (e.InvalidCommand)
            {
                stdout.WriteLine($"Invalid command [{args[i]}]");
                stderr.WriteLine("racoonctl: kmpstat: Invalid argument");
            }
            else
            {
                stderr.WriteLine($"racoonctl: {e.Message}");
            }
            return 1;
        }

        var message = AdminHeader.Request(request.Command, request.Proto, request.Payload);
        if (hexdump)
            stdout.Write(HexDump(message));

        if (request.Command == AdminCommand.ShowEvent || request.WaitFor is not null)
            return FollowEvents(stream(socketPath, message), request.WaitFor, socketPath, stdout, stderr);

        byte[] reply;
        try
        {
            reply = exchange(socketPath, message);
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException)
        {
            stderr.WriteLine($"racoonctl: {socketPath}: {e.Message}");
            return 1;
        }
        var header = AdminHeader.Read(reply);
        var errno = header.ReplyErrno;
        if (errno != 0)
        {
            if (errno == AdminErrno.EEXIST)
            {
                stderr.WriteLine("racoonctl: kmpstat: " + AdminErrno.Describe(errno));
                return 0;
            }
            stderr.WriteLine("racoonctl: kmpstat: " + AdminErrno.Describe(errno));
            return 1;
        }
        var payload = reply.AsSpan(AdminHeader.Size);
        try
        {
            Print(request, payload, longFormat, stdout, zone);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"racoonctl: malformed reply: {e.Message}");
            return 1;
        }
        return 0;
    }

    /// <param name="WaitFor">establish-sa -w, vpn-disconnect: the event type that ends the wait (racoonctl's evt_quit_event).</param>
    private sealed record Request(ushort Command, ushort Proto, byte[] Payload, uint? WaitFor = null);

    /// <summary>
    /// show-event (<paramref name="waitFor"/> null): racoon answers with an empty reply, then pushes each event;
    /// one line per event, flushed at once, until racoon closes the connection. After "Racoon terminated" that
    /// is the normal end (exit 0). establish-sa -w and vpn-disconnect: the reply, then only the awaited event is printed,
    /// and ends the run.
    /// </summary>
    private static int FollowEvents(IEnumerable<byte[]> messages, uint? waitFor, string socketPath, TextWriter stdout, TextWriter stderr)
    {
        var terminated = false;
        try
        {
            foreach (var message in messages)
            {
                var header = AdminHeader.Read(message);
                if (header.ReplyErrno != 0)
                {
                    stderr.WriteLine("racoonctl: kmpstat: " + AdminErrno.Describe(header.ReplyErrno));
                    return header.ReplyErrno == AdminErrno.EEXIST ? 0 : 1;
                }
                var payload = message.AsSpan(AdminHeader.Size);
                if (header.BareCommand != AdminCommand.ShowEvent || payload.Length == 0)
                    continue;
                if (payload.Length < EventDump.Size)
                {
                    stderr.WriteLine("racoonctl: Short buffer");
                    return 1;
                }
                var evt = EventDump.Read(payload);
                if (waitFor is { } awaited)
                {
                    if (evt.Type != awaited)
                        continue;
                    if (evt.Type == EventType.Phase1ModeCfg)
                        PrintModeCfg(payload[EventDump.Size..], stdout);
                    else
                        stdout.WriteLine(evt.ToLine());
                    return 0;
                }
                stdout.WriteLine(evt.ToLine());
                stdout.Flush();
                if (evt.Type == EventType.RacoonQuit)
                    terminated = true;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException)
        {
            stderr.WriteLine($"racoonctl: {socketPath}: {e.Message}");
            return 1;
        }
        if (terminated && waitFor is null)
            return 0;
        stderr.WriteLine($"racoonctl: {socketPath}: racoon closed the connection");
        return 1;
    }

    private sealed class RacoonctlUsageException(string message, bool invalidCommand = false) : Exception(message)
    {
        public bool InvalidCommand { get; } = invalidCommand;
    }

    private static ushort Protocol(List<string> rest, bool allowIpsec)
    {
        if (rest.Count < 1)
            throw new RacoonctlUsageException("insufficient arguments");
        if (rest.Count > 1)
            throw new RacoonctlUsageException("too many arguments");
        var proto = AdminProto.FromName(rest[0]);
        if (proto is null || (!allowIpsec && proto == AdminProto.Ipsec))
            throw new RacoonctlUsageException($"unknown protocol \"{rest[0]}\" (use isakmp, esp, ah, ipsec or internal)");
        return proto.Value;
    }

    /// <summary><c>isakmp inet src dst</c> or <c>esp|ah inet src/plen[port] dst/plen[port] [ulproto]</c>.</summary>
    private static (ushort Proto, AdminIndexes Indexes) SaOptions(List<string> rest)
    {
        if (rest.Count < 4)
            throw new RacoonctlUsageException("insufficient arguments");
        var proto = rest[0] switch
        {
            "isakmp" => AdminProto.Isakmp,
            "esp" => AdminProto.Esp,
            "ah" => AdminProto.Ah,
            _ => throw new RacoonctlUsageException($"unknown protocol \"{rest[0]}\" (use isakmp, esp or ah)"),
        };
        var family = rest[1] switch
        {
            "inet" => AddressFamily.InterNetwork,
            "inet6" => AddressFamily.InterNetworkV6,
            _ => throw new RacoonctlUsageException($"unknown family \"{rest[1]}\" (use inet or inet6)"),
        };
        var (src, srcPrefix) = ParseIndex(rest[2], family);
        var (dst, dstPrefix) = ParseIndex(rest[3], family);
        var upper = AdminIndexes.AnyProtocol;
        var expected = proto == AdminProto.Isakmp ? 4 : 5;
        if (rest.Count > expected)
            throw new RacoonctlUsageException("too many arguments");
        if (proto != AdminProto.Isakmp && rest.Count == 5)
        {
            upper = rest[4] switch
            {
                "any" => AdminIndexes.AnyProtocol,
                "icmp" => 1,
                "tcp" => 6,
                "udp" => 17,
                "gre" => 47,
                _ => throw new RacoonctlUsageException($"unknown upper-layer protocol \"{rest[4]}\" (use icmp, tcp, udp, gre or any)"),
            };
        }
        return (proto, new AdminIndexes(srcPrefix, dstPrefix, upper, src, dst));
    }

    /// <summary><c>addr</c>, <c>addr/plen</c> or <c>addr/plen[port]</c>.</summary>
    private static (IPEndPoint Endpoint, byte Prefix) ParseIndex(string text, AddressFamily family)
    {
        var port = 0;
        var bracket = text.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            if (!text.EndsWith(']') || !int.TryParse(text.AsSpan(bracket + 1, text.Length - bracket - 2), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
                throw new RacoonctlUsageException($"bad port in \"{text}\"");
            text = text[..bracket];
        }
        var full = family == AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = full;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > full)
                throw new RacoonctlUsageException($"bad prefix length in \"{text}\"");
            text = text[..slash];
        }
        var address = ParseAddress(text, "address");
        if (address.AddressFamily != family)
            throw new RacoonctlUsageException($"{text} is not an {(family == AddressFamily.InterNetwork ? "inet" : "inet6")} address");
        return (new IPEndPoint(address, port), (byte)prefix);
    }

    private static IPAddress ParseAddress(string text, string what) =>
        IPAddress.TryParse(text, out var address) ? address : throw new RacoonctlUsageException($"bad {what} \"{text}\"");

    private static void Print(Request request, ReadOnlySpan<byte> payload, int longFormat, TextWriter stdout, TimeZoneInfo zone)
    {
        switch (request.Command)
        {
            case AdminCommand.ShowSa when request.Proto == AdminProto.Isakmp:
                stdout.Write(RacoonctlFormat.Isakmp(Ph1Dump.ReadAll(payload), longFormat, zone));
                break;
            case AdminCommand.ShowSa:
                // racoon sends the kernel's SAD rendered as `setkey -D` prints it.
                stdout.Write(payload.Length == 0 ? "No SAD entries.\n" : Encoding.UTF8.GetString(payload));
                break;
            case AdminCommand.ShowSchedule:
                stdout.Write(RacoonctlFormat.Schedule(SchedDump.ReadAll(payload), zone));
                break;
        }
    }

    private static string HexDump(byte[] message)
    {
        var text = new StringBuilder();
        for (var i = 0; i < message.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{message[i]:x2}");
            text.Append(i % 16 == 15 || i == message.Length - 1 ? '\n' : ' ');
        }
        return text.ToString();
    }

    private static int Usage(TextWriter stdout, TextWriter stderr, string? problem)
    {
        if (problem != null)
            stderr.WriteLine("racoonctl: " + problem);
        stdout.Write(UsageText);
        return 0;
    }

    public const string UsageText =
        "Usage: racoonctl [-d] [-l [-l]] [-s socket] command ...\n" +
        "  reload-config\n" +
        "  show-schedule\n" +
        "  show-sa <protocol>\n" +
        "  flush-sa <protocol>\n" +
        "  delete-sa <saopts>\n" +
        "  establish-sa [-u identity] [-n remoteconf] [-w] <saopts>\n" +
        "  vpn-connect [-u identity] vpn_gateway\n" +
        "  vpn-disconnect vpn_server\n" +
        "  show-event\n" +
        "  logout-user login\n" +
        "\n" +
        "    <protocol>: \"isakmp\", \"esp\" or \"ah\".\n" +
        "        In the case of \"show-sa\" or \"flush-sa\", you can use \"ipsec\".\n" +
        "\n" +
        "    <saopts>: \"isakmp\" <family> <src> <dst>\n" +
        "            : {\"esp\",\"ah\"} <family> <src/prefixlen/port> <dst/prefixlen/port>\n" +
        "                              <ul_proto>\n" +
        "    <family>: \"inet\" or \"inet6\"\n" +
        "    <ul_proto>: \"icmp\", \"tcp\", \"udp\", \"gre\" or \"any\"\n" +
        "\n";
}
