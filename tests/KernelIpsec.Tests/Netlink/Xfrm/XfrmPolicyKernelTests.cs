using System.Net;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>
/// Policies against this machine's kernel, each test in a fresh netns. Oracle: `ip xfrm policy` shows the same
/// text for our policy as for the same policy installed by `ip xfrm policy add` in a second namespace, and the
/// policy reads back equal.
/// </summary>
[TestFixture, Category(Tier.Kernel)]
public class XfrmPolicyKernelTests : XfrmKernelTestBase
{
    private static readonly IPAddress Left = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Right = IPAddress.Parse("10.77.0.2");

    private static Selector Sel(string src, string dst, byte? proto = null, ushort sport = 0, ushort dport = 0) =>
        new(AddressPrefix.Parse(src), AddressPrefix.Parse(dst), proto, sport, dport);

    private static IEnumerable<TestCaseData> Policies()
    {
        yield return new TestCaseData(
            new SecurityPolicy(Sel("10.1.0.0/16", "10.2.0.0/16", 6, 80), PolicyDirection.Out, PolicyAction.Allow,
                [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Unique, 5, Left, Right)])
            { Priority = 100 },
            "src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dir out priority 100 tmpl src 10.77.0.1 dst 10.77.0.2 proto esp mode tunnel reqid 5 level required")
            .SetName("v4 tunnel, tcp source port, priority, reqid");
        yield return new TestCaseData(
            new SecurityPolicy(Sel("fd77:1::/64", "fd77:2::/64", 17, 0, 500), PolicyDirection.In, PolicyAction.Allow,
                [new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Transport, IpsecLevel.Use), new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique, 7)])
            { Priority = 0 },
            "src fd77:1::/64 dst fd77:2::/64 proto udp dport 500 dir in tmpl proto ah mode transport level use tmpl proto esp mode transport reqid 7")
            .SetName("v6 AH+ESP bundle, use level, udp destination port");
        yield return new TestCaseData(
            new SecurityPolicy(Sel("10.0.0.1", "10.0.0.2", 1, 8, 3), PolicyDirection.Fwd, PolicyAction.Block) { Priority = 7 },
            "src 10.0.0.1/32 dst 10.0.0.2/32 proto icmp type 8 code 3 dir fwd action block priority 7")
            .SetName("fwd block, icmp type and code");
        yield return new TestCaseData(
            new SecurityPolicy(Sel("0.0.0.0/0", "0.0.0.0/0"), PolicyDirection.In, PolicyAction.Allow) { Priority = SecurityPolicy.DefaultPriority },
            "src 0.0.0.0/0 dst 0.0.0.0/0 dir in priority 2147483648")
            .SetName("setkey none policy at default priority");
        yield return new TestCaseData(
            new SecurityPolicy(Sel("fd77::/16", "fd77:9::/32", 58, 135, 0), PolicyDirection.In, PolicyAction.Allow,
                [new IpsecRequest(IpsecProtocol.IpComp, IpsecMode.Tunnel, IpsecLevel.Use, 0, IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2")),
                 new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::2"))])
            { Priority = 0x7fffff9c, Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 30), new LifetimeLimits(AddSeconds: 60)) },
            "src fd77::/16 dst fd77:9::/32 proto ipv6-icmp type 135 dir in priority 2147483548 limit time-soft 30 limit time-hard 60 "
            + "tmpl src fd77::1 dst fd77::2 proto comp mode tunnel level use tmpl src fd77::1 dst fd77::2 proto esp mode tunnel")
            .SetName("v6 IPComp+ESP tunnel bundle, icmpv6 type, lifetimes");
    }

    [TestCaseSource(nameof(Policies))]
    public void PolicyReadsBackEqualAndShowsAsIpXfrmWouldShowIt(SecurityPolicy policy, string ipArguments)
    {
        var dump = WithKernel(async k =>
        {
            await k.AddPolicyAsync(policy);
            return await k.DumpPoliciesAsync();
        });
        Assert.That(dump, Has.Count.EqualTo(1));
        Assert.That(dump[0] with { Current = null, Index = 0 }, Is.EqualTo(policy));
        Assert.That(dump[0].Index & 7, Is.EqualTo((uint)policy.Direction), "the kernel's index encodes the direction");
        using var reference = TestNetns.Create("kir");
        reference.Exec("ip xfrm policy add " + ipArguments);
        Assert.That(IpXfrm(Ns, "policy"), Is.EqualTo(IpXfrm(reference, "policy")));
    }

    /// <summary>Another daemon's socket bypass (`ip xfrm policy` shows "socket in/out") is walked with the SPD but is not in the dump.</summary>
    [Test]
    public void SocketBypassPoliciesAreNotInTheDump()
    {
        var policy = new SecurityPolicy(Sel("10.1.0.0/24", "10.2.0.0/24"), PolicyDirection.Out, PolicyAction.Allow, [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport)]);
        var dump = WithKernel(async k =>
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            k.BypassSocket(socket);
            await k.AddPolicyAsync(policy);
            Assert.That(IpXfrm(Ns, "policy"), Does.Contain("socket out"), "the kernel holds the socket policies while the socket is open");
            return await k.DumpPoliciesAsync();
        });
        Assert.That(dump.Select(p => p with { Current = null, Index = 0 }), Is.EqualTo(new[] { policy }));
    }

    [Test]
    public void OptionalTunnelTemplateInAnOutboundPolicyIsRefused()
    {
        var policy = new SecurityPolicy(Sel("10.1.0.0/16", "10.2.0.0/16"), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Use, 0, Left, Right)]);
        var e = Assert.Throws<KernelIpsecException>(() => WithKernel(k => k.AddPolicyAsync(policy)));
        Assert.That(e!.Message, Is.EqualTo("add policy src 10.1.0.0/16 dst 10.2.0.0/16 dir out: Invalid argument"));
    }

    [Test]
    public void LiteralIpXfrmOutputOfATunnelPolicy()
    {
        WithKernel(k => k.AddPolicyAsync(new SecurityPolicy(Sel("10.1.0.0/16", "10.2.0.0/16"), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Require, 0, Left, Right)])));
        Assert.That(IpXfrm(Ns, "policy"), Is.EqualTo("""
            src 10.1.0.0/16 dst 10.2.0.0/16
            dir out priority 2147483648 ptype main
            tmpl src 10.77.0.1 dst 10.77.0.2
            proto esp reqid 0 mode tunnel
            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void AddTwiceIsFileExistsUpdateReplacesGetAndDeleteFindIt()
    {
        var policy = new SecurityPolicy(Sel("10.1.0.0/24", "10.2.0.0/24"), PolicyDirection.Out, PolicyAction.Allow, [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport)]);
        var (error, got, afterDelete) = WithKernel(async k =>
        {
            await k.AddPolicyAsync(policy);
            KernelIpsecException? e = null;
            try
            {
                await k.AddPolicyAsync(policy with { Priority = 5 });
            }
            catch (KernelIpsecException ex)
            {
                e = ex;
            }

            await k.UpdatePolicyAsync(policy with { Priority = 5 });
            var found = await k.GetPolicyAsync(policy.Id);
            await k.DeletePolicyAsync(policy.Id);
            return (e, found, await k.GetPolicyAsync(policy.Id));
        });
        Assert.That(error?.Message, Is.EqualTo("add policy src 10.1.0.0/24 dst 10.2.0.0/24 dir out: File exists"));
        Assert.That(got?.Priority, Is.EqualTo(5u));
        Assert.That(afterDelete, Is.Null);
        Assert.That(IpXfrm(Ns, "policy"), Is.Empty);
    }

    [Test]
    public void UniqueWithoutNumberGetsAGeneratedReqIdAboveTheManualRange()
    {
        var unique = new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Unique);
        var dump = WithKernel(async k =>
        {
            await k.AddPolicyAsync(new SecurityPolicy(Sel("10.0.0.1", "10.0.0.2"), PolicyDirection.Out, PolicyAction.Allow, [unique]));
            await k.AddPolicyAsync(new SecurityPolicy(Sel("10.0.0.2", "10.0.0.1"), PolicyDirection.In, PolicyAction.Allow, [unique, unique]));
            return await k.DumpPoliciesAsync();
        });
        Assert.That(dump.SelectMany(p => p.Requests).Select(r => r.ToString()),
            Is.EqualTo(new[] { "esp/transport//unique#16385", "esp/transport//unique#16386", "esp/transport//unique#16384" }));
        Assert.That(IpXfrm(Ns, "policy"), Does.Contain("proto esp reqid 16386 mode transport"));
    }

    [Test]
    public void DeletingAMissingPolicyIsNoSuchFile()
    {
        var e = Assert.Throws<KernelIpsecException>(() => WithKernel(k => k.DeletePolicyAsync(new PolicyId(Sel("10.9.0.1", "10.9.0.2"), PolicyDirection.In))));
        Assert.That(e!.Message, Is.EqualTo("delete policy src 10.9.0.1/32 dst 10.9.0.2/32 dir in: No such file or directory"));
    }

    [Test]
    public void FlushRemovesEveryDirectionAndFamily()
    {
        var left = WithKernel(async k =>
        {
            foreach (var dir in new[] { PolicyDirection.In, PolicyDirection.Out, PolicyDirection.Fwd })
            {
                await k.AddPolicyAsync(new SecurityPolicy(Sel("10.1.0.0/24", "10.2.0.0/24"), dir, PolicyAction.Block));
                await k.AddPolicyAsync(new SecurityPolicy(Sel("fd77:1::/64", "fd77:2::/64"), dir, PolicyAction.Block));
            }

            var before = (await k.DumpPoliciesAsync()).Count;
            await k.FlushPoliciesAsync();
            return (before, (await k.DumpPoliciesAsync()).Count);
        });
        Assert.That(left, Is.EqualTo((6, 0)));
        Assert.That(IpXfrm(Ns, "policy"), Is.Empty);
    }

    [Test]
    public void DumpsNewestFirst()
    {
        var dump = WithKernel(async k =>
        {
            for (var i = 1; i <= 3; i++)
                await k.AddPolicyAsync(new SecurityPolicy(Sel($"10.1.0.{i}", "10.2.0.1"), PolicyDirection.Out, PolicyAction.Block));
            return await k.DumpPoliciesAsync();
        });
        Assert.That(dump.Select(p => p.Selector.Source.Address.ToString()), Is.EqualTo(new[] { "10.1.0.3", "10.1.0.2", "10.1.0.1" }));
    }

    [Test]
    public void DumpOf100000PoliciesIsComplete()
    {
        const int count = 100_000;
        var dump = WithKernel(async k =>
        {
            for (var i = 0; i < count; i++)
                await k.AddPolicyAsync(new SecurityPolicy(Sel($"10.{100 + (i >> 16)}.{(i >> 8) & 0xff}.{i & 0xff}", "10.200.0.1", 17, (ushort)(1000 + (i % 7))), PolicyDirection.Out, PolicyAction.Block));
            return await k.DumpPoliciesAsync();
        });
        Assert.That(dump, Has.Count.EqualTo(count));
        Assert.That(dump.Select(p => p.Index).Distinct().Count(), Is.EqualTo(count), "no record twice");
        Assert.That(dump[0].Selector.Source.Address.ToString(), Is.EqualTo("10.101.134.159"), "newest first: policy #99999");
        var ipCount = Shell.Bash($"ip netns exec {Ns.Name} ip xfrm policy | grep -c '^src'").Trim();
        Assert.That(ipCount, Is.EqualTo(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
