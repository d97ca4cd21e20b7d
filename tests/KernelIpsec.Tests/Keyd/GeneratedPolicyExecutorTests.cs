using System.Net;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Keyd.Daemon;
using KernelIpsec.Netlink.InMemory;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace KernelIpsec.Tests.Keyd;

/// <summary>InstallPolicy/DeletePolicy carried out on a kernel: what `setkey -DP` would then show.</summary>
[TestFixture, Category(Tier.Unit)]
public class GeneratedPolicyExecutorTests
{
    private static readonly IPAddress Server = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Client = IPAddress.Parse("10.77.0.2");

    private static (InMemoryKernel Kernel, IntentExecutor Executor) Rig()
    {
        var kernel = new InMemoryKernel();
        return (kernel, new IntentExecutor(kernel, new NoSender(), _ => { }, new InstalledSas(), new Phase1Table(TimeProvider.System), NullLogger.Instance));
    }

    private sealed class NoSender : IDatagramSender
    {
        public bool Send(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) => true;

        public bool SendNatKeepalive(IPEndPoint local, IPEndPoint remote) => true;
    }

    private static IpsecPolicy TunnelPolicy(uint reqid) => new(
        new TrafficSelector(IPNetwork.Parse("10.77.1.0/24"), 0, 0), TrafficSelector.Host(IPAddress.Parse("10.77.9.1")),
        [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Tunnel, Server, Client, reqid)], 0);

    [Test]
    public async Task ATunnelPolicyIsInstalledInFwdAndOutWithMirroredEndpointsAndItsLifetime()
    {
        var (kernel, executor) = Rig();

        await executor.ExecuteAsync([new InstallPolicy(TunnelPolicy(0), false, 3600)]);

        var policies = await kernel.DumpPoliciesAsync();
        Assert.That(policies.Select(p => p.Direction), Is.EquivalentTo(new[] { PolicyDirection.In, PolicyDirection.Fwd, PolicyDirection.Out }));
        var output = policies.Single(p => p.Direction == PolicyDirection.Out);
        Assert.That(output.Selector.Source, Is.EqualTo(new AddressPrefix(IPAddress.Parse("10.77.1.0"), 24)));
        Assert.That(output.Selector.Destination, Is.EqualTo(AddressPrefix.Host(IPAddress.Parse("10.77.9.1"))));
        Assert.That(output.Requests.Single(), Is.EqualTo(new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, Server, Client)));
        var input = policies.Single(p => p.Direction == PolicyDirection.In);
        Assert.That(input.Selector.Source, Is.EqualTo(AddressPrefix.Host(IPAddress.Parse("10.77.9.1"))));
        Assert.That(input.Requests.Single(), Is.EqualTo(new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, Client, Server)));
        Assert.That(output.Lifetime.Hard.AddSeconds, Is.EqualTo(3600UL));

        await executor.ExecuteAsync([new DeletePolicy(TunnelPolicy(0))]);
        Assert.That(await kernel.DumpPoliciesAsync(), Is.Empty);
    }

    [Test]
    public async Task UniqueUsesTheTemplatesReqidAndAReinstallReplacesThePolicy()
    {
        var (kernel, executor) = Rig();

        await executor.ExecuteAsync([new InstallPolicy(TunnelPolicy(7), true, 0)]);
        await executor.ExecuteAsync([new InstallPolicy(TunnelPolicy(8), true, 0)]);

        var policies = await kernel.DumpPoliciesAsync();
        Assert.That(policies, Has.Count.EqualTo(3));
        Assert.That(policies.Select(p => (p.Requests.Single().Level, p.Requests.Single().ReqId)).Distinct(), Is.EqualTo(new[] { (IpsecLevel.Unique, 8u) }));
        Assert.That(policies.Single(p => p.Direction == PolicyDirection.Out).Lifetime, Is.EqualTo(Lifetime.Unlimited));
    }

    [Test]
    public async Task ATransportPolicyHasNoFwdAndDeletingWhatIsGoneIsQuiet()
    {
        var (kernel, executor) = Rig();
        var transport = new IpsecPolicy(TrafficSelector.Host(Server), TrafficSelector.Host(Client), [new SaTemplate(IpsecSaProtocol.Esp, IpsecSaMode.Transport, null, null, 0)], 0);

        await executor.ExecuteAsync([new InstallPolicy(transport, false, 600)]);
        Assert.That((await kernel.DumpPoliciesAsync()).Select(p => p.Direction), Is.EquivalentTo(new[] { PolicyDirection.In, PolicyDirection.Out }));

        await executor.ExecuteAsync([new DeletePolicy(transport), new DeletePolicy(transport)]);
        Assert.That(await kernel.DumpPoliciesAsync(), Is.Empty);
    }
}
