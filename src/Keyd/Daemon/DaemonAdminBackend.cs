using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Admin;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Netlink.Model;

namespace KernelIpsec.Keyd.Daemon;

/// <summary>racoonctl's view of a <see cref="KeyDaemon"/>: each admin operation as engine calls and kernel requests on its loop.</summary>
internal sealed class DaemonAdminBackend(KeyDaemon daemon) : IAdminBackend
{
    public void RequestReload() => daemon.Post(new ReloadRequested());

    public DateTimeOffset? NextTimer => daemon.EngineTimerDue;

    public IReadOnlyList<Ph1Dump> Phase1Sas() =>
        daemon.Engine.Phase1Sas.Select(p => new Ph1Dump(p.InitiatorCookie, p.ResponderCookie,
            p.Established ? Ph1Dump.StatusEstablished : Ph1Dump.StatusNegotiating,
            p.IsInitiator ? Ph1Dump.SideInitiator : Ph1Dump.SideResponder, p.Remote, p.Local, Ph1Dump.IsakmpVersion,
            p.Mode.StartsWith("Aggr", StringComparison.OrdinalIgnoreCase) ? Ph1Dump.ExchangeAggressive : Ph1Dump.ExchangeMain,
            p.EstablishedAt?.ToUnixTimeSeconds() ?? 0, p.QuickModesRunning)).ToList();

    public Task<IReadOnlyList<SecurityAssociation>> IpsecSasAsync() => daemon.Kernel.DumpSasAsync();

    public Task FlushPhase1Async(DateTimeOffset now) => daemon.RunAsync(daemon.Engine.FlushPhase1(now));

    public async Task FlushIpsecSasAsync(IpsecProtocol? protocol)
    {
        await daemon.Kernel.FlushSasAsync(protocol).ConfigureAwait(false);
        daemon.SasFlushed(protocol);
    }

    public async Task<bool> DeletePhase1Async(IPAddress? local, IPAddress remote, DateTimeOffset now)
    {
        var intents = daemon.Engine.DeletePhase1(local, remote, now);
        await daemon.RunAsync(intents).ConfigureAwait(false);
        return intents.OfType<Phase1Down>().Any();
    }

    public async Task<bool> EstablishPhase1Async(IPAddress? local, IPAddress remote, string? remoteName, XauthCredentials? credentials, DateTimeOffset now)
    {
        if (daemon.Engine.Phase1Sas.Any(p => p.Established && p.Remote.Address.Equals(remote)))
            return false;
        await daemon.RunAsync(daemon.Engine.EstablishPhase1(local, remote, remoteName, credentials, now)).ConfigureAwait(false);
        return true;
    }

    public async Task<int> LogoutUserAsync(string login, DateTimeOffset now)
    {
        // racoon's purgeph1bylogin: each ISAKMP SA on which that login logged in goes, with the IPsec SAs made under
        // it; the engine knows which SA is whose, so two users behind one NAT address are told apart.
        var users = daemon.Engine.XauthUsers.Where(u => SameLogin(u.User, login)).Select(u => u.User).Distinct().ToList();
        var count = daemon.Engine.XauthUsers.Count(u => SameLogin(u.User, login));
        foreach (var user in users)
            await daemon.RunAsync(daemon.Engine.LogoutUser(user, now)).ConfigureAwait(false);
        return count;
    }

    /// <summary>racoon compares the first LOGINLEN (31) characters.</summary>
    private static bool SameLogin(string a, string b) =>
        string.Equals(a.Length > AdminLogin.MaxLength ? a[..AdminLogin.MaxLength] : a, b.Length > AdminLogin.MaxLength ? b[..AdminLogin.MaxLength] : b, StringComparison.Ordinal);

    public async Task<bool> EstablishIpsecSaAsync(AdminIndexes selector, DateTimeOffset now)
    {
        var upper = selector.UpperProtocol == AdminIndexes.AnyProtocol ? (byte)0 : selector.UpperProtocol;
        var local = new TrafficSelector(new IPNetwork(Masked(selector.Source.Address, selector.SourcePrefix), selector.SourcePrefix), upper, (ushort)selector.Source.Port);
        var remote = new TrafficSelector(new IPNetwork(Masked(selector.Destination.Address, selector.DestinationPrefix), selector.DestinationPrefix), upper, (ushort)selector.Destination.Port);
        var policy = daemon.Spd.FindOutbound(local, remote);
        if (policy is null)
            return false;
        // Quick mode then runs as for an ACQUIRE, between the tunnel ends or the selector's own addresses.
        var template = policy.Templates.Count > 0 ? policy.Templates[0] : null;
        var peerLocal = template?.TunnelSource ?? selector.Source.Address;
        var peerRemote = template?.TunnelDestination ?? selector.Destination.Address;
        await daemon.RunAsync(daemon.Engine.EstablishIpsecSa(new AcquireRequest(0, peerLocal, peerRemote, policy), now)).ConfigureAwait(false);
        return true;
    }

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
