using System.Net;
using System.Text;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Keyd.Admin;

/// <summary>
/// racoon's admin.c: answers one admin request against the running daemon. Must run on the daemon's loop
/// (<see cref="KeyDaemon.OnLoopAsync{T}"/>), since it touches the engine and the daemon's tables.
/// </summary>
internal sealed class AdminHandler(KeyDaemon daemon, TimeProvider time, ILogger logger)
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
                daemon.Post(new ReloadRequested());
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
                    AdminProto.Isakmp => (0, Ph1Dump.WriteAll(Phase1Dumps())),
                    AdminProto.Ipsec or AdminProto.Esp or AdminProto.Ah => (0, Encoding.UTF8.GetBytes(SadListing.Render(
                        (await daemon.Kernel.DumpSasAsync().ConfigureAwait(false)).Where(sa => Matches(sa.Id.Protocol, proto)).ToList(),
                        now, TimeZoneInfo.Local, Environment.ProcessId))),
                    _ => (AdminErrno.ENOTSUP, []),
                };
            case AdminCommand.FlushSa:
                switch (proto)
                {
                    case AdminProto.Isakmp:
                        await daemon.RunAsync(daemon.Engine.FlushPhase1(now)).ConfigureAwait(false);
                        return (0, []);
                    case AdminProto.Ipsec:
                        await daemon.Kernel.FlushSasAsync().ConfigureAwait(false);
                        daemon.SasFlushed(null);
                        return (0, []);
                    case AdminProto.Esp or AdminProto.Ah:
                        var kernelProto = proto == AdminProto.Esp ? IpsecProtocol.Esp : IpsecProtocol.Ah;
                        await daemon.Kernel.FlushSasAsync(kernelProto).ConfigureAwait(false);
                        daemon.SasFlushed(kernelProto);
                        return (0, []);
                    default:
                        return (AdminErrno.ENOTSUP, []);
                }
            case AdminCommand.DeleteSa:
            {
                // racoon deletes the matching phase 1 whatever ac_proto says.
                var indexes = AdminIndexes.Read(payload);
                await daemon.RunAsync(daemon.Engine.DeletePhase1(Specified(indexes.Source.Address), indexes.Destination.Address, now)).ConfigureAwait(false);
                return (0, []);
            }
            case AdminCommand.DeleteAllSaDst:
            {
                var indexes = AdminIndexes.Read(payload);
                var intents = daemon.Engine.DeletePhase1(null, indexes.Destination.Address, now);
                await daemon.RunAsync(intents).ConfigureAwait(false);
                // racoon answers success even with no established phase 1 to that peer, and its racoonctl
                // vpn-disconnect then waits for a "Phase 1 deleted" that never comes: ENOENT ends it instead.
                return (intents.OfType<Phase1Down>().Any() ? (short)0 : AdminErrno.ENOENT, []);
            }
            case AdminCommand.EstablishSa:
                return await EstablishAsync(proto, payload, now).ConfigureAwait(false);
            default:
                return (AdminErrno.ENOTSUP, []);
        }
    }

    private async Task<(short, byte[])> EstablishAsync(ushort proto, byte[] payload, DateTimeOffset now)
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
            if (daemon.Engine.Phase1Sas.Any(p => p.Established && p.Remote.Address.Equals(indexes.Destination.Address)))
                return (AdminErrno.EEXIST, []);
            await daemon.RunAsync(daemon.Engine.EstablishPhase1(Specified(indexes.Source.Address), indexes.Destination.Address, remoteName, now)).ConfigureAwait(false);
            return (0, []);
        }
        if (proto is not (AdminProto.Esp or AdminProto.Ah))
            return (AdminErrno.ENOTSUP, []);
        // As racoon: the outbound policy for the selector must exist; quick mode then runs as for an ACQUIRE.
        var upper = indexes.UpperProtocol == AdminIndexes.AnyProtocol ? (byte)0 : indexes.UpperProtocol;
        var local = new TrafficSelector(new IPNetwork(Masked(indexes.Source.Address, indexes.SourcePrefix), indexes.SourcePrefix), upper, (ushort)indexes.Source.Port);
        var remote = new TrafficSelector(new IPNetwork(Masked(indexes.Destination.Address, indexes.DestinationPrefix), indexes.DestinationPrefix), upper, (ushort)indexes.Destination.Port);
        var policy = daemon.Spd.FindOutbound(local, remote);
        if (policy is null)
            return (AdminErrno.ENOENT, []);
        var template = policy.Templates.Count > 0 ? policy.Templates[0] : null;
        var peerLocal = template?.TunnelSource ?? indexes.Source.Address;
        var peerRemote = template?.TunnelDestination ?? indexes.Destination.Address;
        await daemon.RunAsync(daemon.Engine.OnAcquire(new AcquireRequest(0, peerLocal, peerRemote, policy), now)).ConfigureAwait(false);
        return (0, []);
    }

    private IReadOnlyList<Ph1Dump> Phase1Dumps() =>
        daemon.Engine.Phase1Sas.Select(p => new Ph1Dump(p.InitiatorCookie, p.ResponderCookie,
            p.Established ? Ph1Dump.StatusEstablished : Ph1Dump.StatusNegotiating,
            p.IsInitiator ? Ph1Dump.SideInitiator : Ph1Dump.SideResponder, p.Remote, p.Local, Ph1Dump.IsakmpVersion,
            p.Mode.StartsWith("Aggr", StringComparison.OrdinalIgnoreCase) ? Ph1Dump.ExchangeAggressive : Ph1Dump.ExchangeMain,
            p.EstablishedAt?.ToUnixTimeSeconds() ?? 0, p.QuickModesRunning)).ToList();

    private IReadOnlyList<SchedDump> Schedule(DateTimeOffset now)
    {
        // The engine keeps one timer for all its work; it is the nearest equivalent of racoon's schedule list.
        if (daemon.EngineTimerDue is not { } due)
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

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
