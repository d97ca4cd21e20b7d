using System.Net;
using System.Text;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Admin;

/// <summary>
/// racoon's admin.c: answers one admin request against the running daemon, through <see cref="IAdminBackend"/>.
/// Must run on the daemon's loop, as the backend's members do.
/// </summary>
internal sealed class AdminHandler(IAdminBackend daemon, TimeProvider time, ILogger logger)
{
    public async Task<byte[]> HandleAsync(AdminRequest request)
    {
        var command = request.Header.BareCommand;
        var proto = request.Header.Proto;
        try
        {
            var (errno, payload) = await DispatchAsync(command, proto, request.Payload).ConfigureAwait(false);
            return AdminHeader.Reply(command, proto, errno, payload);
        }
        catch (FormatException e)
        {
            logger.LogError("bad admin request 0x{Command:x4}: {Error}", command, e.Message);
            return AdminHeader.Reply(command, proto, AdminErrno.EINVAL, []);
        }
        catch (KernelIpsecException e)
        {
            logger.LogError("admin request 0x{Command:x4} failed: {Error}", command, e.Message);
            return AdminHeader.Reply(command, proto, (short)e.Errno, []);
        }
    }

    private async Task<(short Errno, byte[] Payload)> DispatchAsync(ushort command, ushort proto, byte[] payload)
    {
        var now = time.GetUtcNow();
        switch (command)
        {
            case AdminCommand.ReloadConf:
                daemon.RequestReload();
                return (0, []);
            case AdminCommand.ShowEvent:
                // An empty reply; a version-1 connection then stays subscribed (AdminServer), version 0 polled
                // racoon's old event list, which this daemon does not keep: "no event".
                return (0, []);
            case AdminCommand.ShowSchedule:
                return (0, SchedDump.WriteAll(Schedule(now)));
            case AdminCommand.ShowSa:
                return proto switch
                {
                    AdminProto.Isakmp => (0, Ph1Dump.WriteAll(daemon.Phase1Sas())),
                    AdminProto.Ipsec or AdminProto.Esp or AdminProto.Ah => (0, Encoding.UTF8.GetBytes(SadListing.Render(
                        (await daemon.IpsecSasAsync().ConfigureAwait(false)).Where(sa => Matches(sa.Id.Protocol, proto)).ToList(),
                        now, TimeZoneInfo.Local, Environment.ProcessId))),
                    _ => (AdminErrno.ENOTSUP, []),
                };
            case AdminCommand.FlushSa:
                switch (proto)
                {
                    case AdminProto.Isakmp:
                        await daemon.FlushPhase1Async(now).ConfigureAwait(false);
                        return (0, []);
                    case AdminProto.Ipsec:
                        await daemon.FlushIpsecSasAsync(null).ConfigureAwait(false);
                        return (0, []);
                    case AdminProto.Esp or AdminProto.Ah:
                        await daemon.FlushIpsecSasAsync(proto == AdminProto.Esp ? IpsecProtocol.Esp : IpsecProtocol.Ah).ConfigureAwait(false);
                        return (0, []);
                    default:
                        return (AdminErrno.ENOTSUP, []);
                }
            case AdminCommand.DeleteSa:
                {
                    // racoon deletes the matching phase 1 whatever ac_proto says.
                    var indexes = AdminIndexes.Read(payload);
                    await daemon.DeletePhase1Async(Specified(indexes.Source.Address), indexes.Destination.Address, now).ConfigureAwait(false);
                    return (0, []);
                }
            case AdminCommand.DeleteAllSaDst:
                {
                    var indexes = AdminIndexes.Read(payload);
                    var deleted = await daemon.DeletePhase1Async(null, indexes.Destination.Address, now).ConfigureAwait(false);
                    // racoon answers success even with no established phase 1 to that peer, and its racoonctl
                    // vpn-disconnect then waits for a "Phase 1 deleted" that never comes: ENOENT ends it instead.
                    return (deleted ? (short)0 : AdminErrno.ENOENT, []);
                }
            case AdminCommand.EstablishSa:
                return await EstablishAsync(proto, payload, null, now).ConfigureAwait(false);
            case AdminCommand.EstablishSaPsk:
                {
                    // racoonctl -u: the XAuth login and password for this phase 1 (racoon sets them on the remote).
                    if (payload.Length < AdminIndexes.Size)
                        throw new FormatException($"establish-sa -u needs {AdminIndexes.Size} bytes of indexes, got {payload.Length}");
                    var psk = AdminPsk.Read(payload.AsSpan(AdminIndexes.Size));
                    return await EstablishAsync(proto, payload.AsSpan(0, AdminIndexes.Size).ToArray(), new XauthCredentials(psk.Login, psk.Password), now).ConfigureAwait(false);
                }
            case AdminCommand.LogoutUser:
                {
                    // racoon answers success in every case and says in its log what it did.
                    if (payload.Length > AdminLogin.MaxLength)
                    {
                        logger.LogError("malformed message (login too long)");
                        return (0, []);
                    }
                    var login = Encoding.UTF8.GetString(payload);
                    var found = await daemon.LogoutUserAsync(login, now).ConfigureAwait(false);
                    logger.LogInformation("deleted {Count} SA for user \"{User}\"", found, login);
                    return (0, []);
                }
            default:
                return (AdminErrno.ENOTSUP, []);
        }
    }

    private async Task<(short, byte[])> EstablishAsync(ushort proto, byte[] payload, XauthCredentials? credentials, DateTimeOffset now)
    {
        var indexes = AdminIndexes.Read(payload);
        string? remoteName = null;
        if (payload.Length > AdminIndexes.Size)
        {
            var tail = payload.AsSpan(AdminIndexes.Size);
            var end = tail.IndexOf((byte)0);
            remoteName = Encoding.UTF8.GetString(end < 0 ? tail : tail[..end]);
        }
        if (proto == AdminProto.Isakmp)
        {
            return await daemon.EstablishPhase1Async(Specified(indexes.Source.Address), indexes.Destination.Address, remoteName, credentials, now).ConfigureAwait(false)
                ? (0, []) : (AdminErrno.EEXIST, []);
        }
        if (proto is not (AdminProto.Esp or AdminProto.Ah))
            return (AdminErrno.ENOTSUP, []);
        // As racoon: the outbound policy for the selector must exist.
        return await daemon.EstablishIpsecSaAsync(indexes, now).ConfigureAwait(false) ? (0, []) : (AdminErrno.ENOENT, []);
    }

    private IReadOnlyList<SchedDump> Schedule(DateTimeOffset now)
    {
        // The engine keeps one timer for all its work; it is the nearest equivalent of racoon's schedule list.
        if (daemon.NextTimer is not { } due)
            return [];
        var remaining = Math.Max(0, (long)Math.Ceiling((due - now).TotalSeconds));
        return [new SchedDump(due.ToUnixTimeSeconds(), 1, now.ToUnixTimeSeconds(), remaining)];
    }

    private static bool Matches(IpsecProtocol protocol, ushort proto) => proto switch
    {
        AdminProto.Esp => protocol == IpsecProtocol.Esp,
        AdminProto.Ah => protocol == IpsecProtocol.Ah,
        _ => true,
    };

    private static IPAddress? Specified(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? null : address;
}
