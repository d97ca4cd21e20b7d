using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Admin;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>racoonctl's requests against <see cref="IAdminBackend"/> alone: what the handler asks of the daemon and what racoonctl is answered.</summary>
[TestFixture, Category(Tier.Unit)]
public class AdminHandlerTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("10.77.0.2");

    private sealed class RecordingBackend : IAdminBackend
    {
        public List<string> Calls { get; } = [];
        public bool Answer { get; init; }

        public void RequestReload() => Calls.Add("reload");
        public DateTimeOffset? NextTimer => null;
        public IReadOnlyList<Ph1Dump> Phase1Sas() => [];
        public Task<IReadOnlyList<SecurityAssociation>> IpsecSasAsync() => Task.FromResult<IReadOnlyList<SecurityAssociation>>([]);

        public Task FlushPhase1Async(DateTimeOffset now)
        {
            Calls.Add("flush phase 1");
            return Task.CompletedTask;
        }

        public Task FlushIpsecSasAsync(IpsecProtocol? protocol)
        {
            Calls.Add($"flush {protocol?.ToString() ?? "all"}");
            return Task.CompletedTask;
        }

        public Task<bool> DeletePhase1Async(IPAddress? local, IPAddress remote, DateTimeOffset now)
        {
            Calls.Add($"delete {local?.ToString() ?? "any"}->{remote}");
            return Task.FromResult(Answer);
        }

        public Task<bool> EstablishPhase1Async(IPAddress? local, IPAddress remote, string? remoteName, XauthCredentials? credentials, DateTimeOffset now)
        {
            Calls.Add($"establish {local?.ToString() ?? "any"}->{remote} {remoteName}" + (credentials is null ? "" : $" as {credentials.Login}/{System.Text.Encoding.UTF8.GetString(credentials.Password)}"));
            return Task.FromResult(Answer);
        }

        public Task<int> LogoutUserAsync(string login, DateTimeOffset now)
        {
            Calls.Add($"logout {login}");
            return Task.FromResult(Answer ? 1 : 0);
        }

        public Task<bool> EstablishIpsecSaAsync(AdminIndexes selector, DateTimeOffset now)
        {
            Calls.Add($"establish ipsec {selector.Source}/{selector.SourcePrefix}->{selector.Destination}/{selector.DestinationPrefix}");
            return Task.FromResult(Answer);
        }
    }

    private static async Task<short> Send(IAdminBackend backend, ushort command, ushort proto, byte[] payload)
    {
        var handler = new AdminHandler(backend, TimeProvider.System, NullLogger.Instance);
        var request = AdminHeader.Request(command, proto, payload);
        var reply = await handler.HandleAsync(new AdminRequest(AdminHeader.Read(request), payload));
        return AdminHeader.Read(reply).ErrnoOrVersion;
    }

    private static byte[] Indexes(IPAddress source, byte sourcePrefix, IPAddress destination, byte destinationPrefix) =>
        new AdminIndexes(sourcePrefix, destinationPrefix, AdminIndexes.AnyProtocol, new IPEndPoint(source, 0), new IPEndPoint(destination, 0)).ToBytes();

    [Test]
    public async Task VpnDisconnectWithoutEstablishedPhase1IsEnoent()
    {
        var none = new RecordingBackend { Answer = false };
        Assert.That(await Send(none, AdminCommand.DeleteAllSaDst, AdminProto.Isakmp, Indexes(IPAddress.Any, 32, Peer, 32)), Is.EqualTo(AdminErrno.ENOENT));
        var one = new RecordingBackend { Answer = true };
        Assert.That(await Send(one, AdminCommand.DeleteAllSaDst, AdminProto.Isakmp, Indexes(IPAddress.Any, 32, Peer, 32)), Is.EqualTo(0));
        Assert.That(none.Calls, Is.EqualTo(new[] { $"delete any->{Peer}" }));
    }

    [Test]
    public async Task EstablishAnswersEexistForAnEstablishedPhase1AndEnoentWithoutPolicy()
    {
        var refusing = new RecordingBackend { Answer = false };
        Assert.That(await Send(refusing, AdminCommand.EstablishSa, AdminProto.Isakmp, Indexes(IPAddress.Any, 32, Peer, 32)), Is.EqualTo(AdminErrno.EEXIST));
        Assert.That(await Send(refusing, AdminCommand.EstablishSa, AdminProto.Esp, Indexes(IPAddress.Parse("10.1.0.7"), 24, Peer, 32)), Is.EqualTo(AdminErrno.ENOENT));
        Assert.That(refusing.Calls, Is.EqualTo(new[] { $"establish any->{Peer} ", $"establish ipsec 10.1.0.7:0/24->{Peer}:0/32" }));
    }

    [Test]
    public async Task FlushAndReloadGoToTheBackend()
    {
        var backend = new RecordingBackend();
        Assert.That(await Send(backend, AdminCommand.FlushSa, AdminProto.Esp, []), Is.EqualTo(0));
        Assert.That(await Send(backend, AdminCommand.FlushSa, AdminProto.Isakmp, []), Is.EqualTo(0));
        Assert.That(await Send(backend, AdminCommand.ReloadConf, 0, []), Is.EqualTo(0));
        Assert.That(backend.Calls, Is.EqualTo(new[] { "flush Esp", "flush phase 1", "reload" }));
    }

    [Test]
    public async Task EstablishWithALoginPassesTheCredentialsOn()
    {
        var backend = new RecordingBackend { Answer = true };
        var psk = new AdminPsk(AdminPsk.IdTypeUserFqdn, "ikev1rig", System.Text.Encoding.UTF8.GetBytes("pw 4567")).ToBytes();
        Assert.That(await Send(backend, AdminCommand.EstablishSaPsk, AdminProto.Isakmp, [.. Indexes(IPAddress.Any, 32, Peer, 32), .. psk]), Is.EqualTo(0));
        Assert.That(backend.Calls, Is.EqualTo(new[] { $"establish any->{Peer}  as ikev1rig/pw 4567" }));
        Assert.That(await Send(backend, AdminCommand.EstablishSaPsk, AdminProto.Isakmp, [.. Indexes(IPAddress.Any, 32, Peer, 32), .. psk[..30]]),
            Is.EqualTo(AdminErrno.EINVAL), "lengths beyond what was sent");
    }

    [Test]
    public async Task LogoutUserAlwaysSucceedsAndSaysWhatItDidInTheLog()
    {
        var backend = new RecordingBackend { Answer = true };
        var logger = new KernelIpsec.Tests.Keyd.Scripts.ConcurrentLogger();
        var handler = new AdminHandler(backend, TimeProvider.System, logger);
        async Task<short> Logout(string login)
        {
            var payload = System.Text.Encoding.UTF8.GetBytes(login);
            var request = AdminHeader.Request(AdminCommand.LogoutUser, 0, payload);
            return AdminHeader.Read(await handler.HandleAsync(new AdminRequest(AdminHeader.Read(request), payload))).ErrnoOrVersion;
        }

        Assert.That(await Logout("ikev1rig"), Is.EqualTo(0));
        Assert.That(await Logout(new string('a', 32)), Is.EqualTo(0));

        Assert.That(backend.Calls, Is.EqualTo(new[] { "logout ikev1rig" }));
        Assert.That(logger.Lines, Is.EqualTo(new[] { "INFO: deleted 1 SA for user \"ikev1rig\"", "ERROR: malformed message (login too long)" }));
    }
}
