using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Admin;
using KernelIpsec.Keyd.AdminProtocol;
using KernelIpsec.Netlink.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>
/// A request on racoon's admin socket (racoonctl's protocol), read as the daemon reads it: the 8-byte header,
/// the payload its length announces, then the handler that decodes the payload for each command (indexes,
/// login and password, remote name) against a daemon that holds nothing. The handler's designed rejections
/// (FormatException, a kernel error) come back as an errno reply; any exception out of it is a finding.
/// </summary>
public sealed class AdminRequestTarget : IFuzzTarget
{
    private readonly AdminHandler handler = new(new EmptyDaemon(), TimeProvider.System, NullLogger.Instance);

    public string Name => "admin";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < AdminHeader.Size)
        {
            return; // the server waits for the rest and times out
        }
        var header = AdminHeader.Read(input);
        if (header.Length < AdminHeader.Size || header.Length > input.Length)
        {
            return; // logged and closed, or the payload never comes
        }
        var request = new AdminRequest(header, input[AdminHeader.Size..header.Length].ToArray());
        var reply = handler.HandleAsync(request).GetAwaiter().GetResult();
        _ = AdminHeader.Read(reply);
    }

    private sealed class EmptyDaemon : IAdminBackend
    {
        public DateTimeOffset? NextTimer => null;

        public void RequestReload()
        {
        }

        public IReadOnlyList<Ph1Dump> Phase1Sas() => [];

        public Task<IReadOnlyList<SecurityAssociation>> IpsecSasAsync() => Task.FromResult<IReadOnlyList<SecurityAssociation>>([]);

        public Task FlushPhase1Async(DateTimeOffset now) => Task.CompletedTask;

        public Task FlushIpsecSasAsync(IpsecProtocol? protocol) => Task.CompletedTask;

        public Task<bool> DeletePhase1Async(IPAddress? local, IPAddress remote, DateTimeOffset now) => Task.FromResult(false);

        public Task<bool> EstablishPhase1Async(IPAddress? local, IPAddress remote, string? remoteName, XauthCredentials? credentials, DateTimeOffset now) =>
            Task.FromResult(true);

        public Task<int> LogoutUserAsync(string login, DateTimeOffset now) => Task.FromResult(0);

        public Task<bool> EstablishIpsecSaAsync(AdminIndexes selector, DateTimeOffset now) => Task.FromResult(false);
    }
}
