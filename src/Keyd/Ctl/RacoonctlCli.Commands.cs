using System.Net;
using System.Net.Sockets;
using System.Text;
using KernelIpsec.Keyd.AdminProtocol;

namespace KernelIpsec.Keyd.Ctl;

// racoonctl's command table (get_combuf): each command's arguments into one admin request.
public static partial class RacoonctlCli
{
    private static Request Build(string command, List<string> rest, Func<string, string?> readPassword, TextWriter stderr)
    {
        switch (command)
        {
            case "reload-config":
            case "rc":
                return new Request(AdminCommand.ReloadConf, 0, []);
            case "show-schedule":
            case "sc":
                return new Request(AdminCommand.ShowSchedule, 0, []);
            case "show-event":
            case "se":
                if (rest.Count > 0)
                    throw new RacoonctlUsageException("too many arguments");
                return new Request(AdminCommand.ShowEvent, 0, []);
            case "show-sa":
            case "ss":
                return new Request(AdminCommand.ShowSa, Protocol(rest, allowIpsec: true), []);
            case "flush-sa":
            case "fs":
                return new Request(AdminCommand.FlushSa, Protocol(rest, allowIpsec: true), []);
            case "delete-sa":
            case "ds":
                {
                    var (proto, indexes) = SaOptions(rest);
                    return new Request(AdminCommand.DeleteSa, proto, indexes.ToBytes());
                }
            case "establish-sa":
            case "es":
                if (rest.Count < 1)
                    throw new RacoonctlUsageException("insufficient arguments");
                return EstablishSa(rest, readPassword, vpnConnect: false);
            case "vpn-connect":
            case "vc":
                return VpnConnect(rest, readPassword, stderr);
            case "vpn-disconnect":
            case "vd":
                {
                    if (rest.Count < 1)
                        throw new RacoonctlUsageException("VPN gateway required");
                    if (rest.Count > 1)
                        stderr.WriteLine("racoonctl: Extra arguments");
                    var server = ParseAddress(rest[0], "vpn_server");
                    var any = server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
                    var indexes = new AdminIndexes(0, 0, AdminIndexes.AnyProtocol, new IPEndPoint(any, 0), new IPEndPoint(server, 0));
                    // racoonctl: vpn-disconnect waits for EVT_PHASE1_DOWN.
                    return new Request(AdminCommand.DeleteAllSaDst, AdminProto.Isakmp, indexes.ToBytes(), EventType.Phase1Down);
                }
            case "logout-user":
            case "lu":
                {
                    if (rest.Count < 1)
                        throw new RacoonctlUsageException("insufficient arguments");
                    var login = Encoding.UTF8.GetBytes(rest[0]);
                    if (login.Length > AdminLogin.MaxLength)
                        throw new RacoonctlUsageException("bad login (too long?)");
                    return new Request(AdminCommand.LogoutUser, 0, login);
                }
            case "get-cert":
            case "gc":
                {
                    var (_, indexes) = SaOptions(["isakmp", .. rest]);
                    return new Request(AdminCommand.GetSaCert, AdminProto.Isakmp, indexes.ToBytes());
                }
            default:
                throw new RacoonctlUsageException("Invalid argument", invalidCommand: true);
        }
    }

    /// <summary>
    /// `establish-sa [-u identity] [-n remoteconf] [-w] saopts`, options in this order only, as racoonctl's
    /// f_exchangesa: `-u` prompts for the password and makes the request ADMIN_ESTABLISH_SA_PSK (and then `-n` is not
    /// sent); `-w` waits for "Phase 1 mode configuration done" (isakmp) or "Phase 2 established" (esp/ah).
    /// vpn-connect always waits for the former.
    /// </summary>
    private static Request EstablishSa(List<string> rest, Func<string, string?> readPassword, bool vpnConnect)
    {
        string? login = null;
        byte[]? password = null;
        if (rest.Count > 0 && rest[0] == "-u")
        {
            if (rest.Count < 2)
                throw new RacoonctlUsageException("-u require an argument");
            login = rest[1];
            // glibc's getpass gives an empty password at end of input.
            password = Encoding.UTF8.GetBytes(readPassword("Password: ") ?? "");
            rest.RemoveRange(0, 2);
        }
        string? remoteName = null;
        if (rest.Count >= 2 && rest[0] == "-n")
        {
            remoteName = rest[1];
            rest.RemoveRange(0, 2);
        }
        var wait = vpnConnect;
        if (rest.Count >= 1 && rest[0] == "-w")
        {
            wait = true;
            rest.RemoveAt(0);
        }
        var (proto, indexes) = SaOptions(rest);
        var payload = indexes.ToBytes();
        var command = AdminCommand.EstablishSa;
        if (login is not null && password is not null)
        {
            command = AdminCommand.EstablishSaPsk;
            payload = [.. payload, .. new AdminPsk(AdminPsk.IdTypeUserFqdn, login, password).ToBytes()];
        }
        else if (remoteName is not null && proto == AdminProto.Isakmp)
        {
            payload = [.. payload, .. Encoding.UTF8.GetBytes(remoteName), 0];
        }
        uint? waitFor = !wait ? null : proto == AdminProto.Isakmp ? EventType.Phase1ModeCfg : EventType.Phase2Up;
        return new Request(command, proto, payload, waitFor);
    }

    /// <summary>
    /// `vpn-connect [-u identity] vpn_gateway`: establish-sa isakmp inet from the address this host would use to reach
    /// the gateway (racoonctl's getlocaladdr), waiting for the Mode Config event.
    /// </summary>
    private static Request VpnConnect(List<string> rest, Func<string, string?> readPassword, TextWriter stderr)
    {
        if (rest.Count < 1)
            throw new RacoonctlUsageException("insufficient arguments");
        var user = new List<string>();
        if (rest[0] == "-u")
        {
            if (rest.Count < 2)
                throw new RacoonctlUsageException("-u require an argument");
            user = rest.GetRange(0, 2);
            rest = rest[2..];
        }
        if (rest.Count < 1)
            throw new RacoonctlUsageException("VPN gateway required");
        if (rest.Count > 1)
            stderr.WriteLine("racoonctl: Extra arguments");
        var gateway = Resolve(rest[0]);
        var source = LocalAddressFor(gateway) ?? throw new RacoonctlUsageException("cannot find source address");
        var family = gateway.AddressFamily == AddressFamily.InterNetworkV6 ? "inet6" : "inet";
        return EstablishSa([.. user, "isakmp", family, source.ToString(), gateway.ToString()], readPassword, vpnConnect: true);
    }

    private static IPAddress Resolve(string gateway)
    {
        if (IPAddress.TryParse(gateway, out var address))
            return address;
        try
        {
            return Dns.GetHostAddresses(gateway).FirstOrDefault() ?? throw new RacoonctlUsageException("Cannot resolve destination address");
        }
        catch (SocketException)
        {
            throw new RacoonctlUsageException("Cannot resolve destination address");
        }
    }

    /// <summary>The source address the kernel picks for the gateway's NAT-T port (a connected UDP socket sends nothing).</summary>
    private static IPAddress? LocalAddressFor(IPAddress gateway)
    {
        try
        {
            using var probe = new Socket(gateway.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(gateway, 4500));
            return (probe.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// racoonctl's print_cfg for EVT_PHASE1_MODE_CFG. Its loop leaves the attribute length at zero unless an attribute
    /// is malformed, so it prints "VPN connexion established" and only after a malformed one "Bound to address";
    /// then the banner between rules of '=' as wide as the terminal (none when stdout is not one).
    /// </summary>
    private static void PrintModeCfg(ReadOnlySpan<byte> attributes, TextWriter stdout)
    {
        var (address, banner, problem) = ModeCfgEventReader.Decode(attributes);
        if (problem is not null)
        {
            stdout.WriteLine(problem);
            stdout.WriteLine($"Bound to address {address}");
        }
        else
        {
            stdout.WriteLine("VPN connexion established");
        }
        if (banner is null)
            return;
        var rule = new string('=', TerminalWidth());
        stdout.Write($"{rule}\n{banner}\n{rule}\n");
    }

    private static int TerminalWidth()
    {
        if (Console.IsOutputRedirected)
            return 0;
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
