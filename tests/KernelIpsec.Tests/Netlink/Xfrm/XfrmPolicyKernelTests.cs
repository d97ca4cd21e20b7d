using System.Net;
using System.Net.Sockets;
using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.Xfrm;

/// <summary>Policies, SPI allocation and errors against this machine's kernel, each test in a fresh netns; `ip xfrm` is the oracle.</summary>
[TestFixture, Category(Tier.Kernel)]
public class XfrmPolicyKernelTests
{
    private TestNetns ns = null!;

    [SetUp]
    public void SetUp()
    {
        Requirements.Root();
        ns = TestNetns.Create();
    }

    [TearDown]
    public void TearDown() => ns?.Dispose();

    private T WithKernel<T>(Func<XfrmKernel, Task<T>> body) => ns.Run(() =>
    {
        var kernel = XfrmKernel.Open();
        try
        {
            return body(kernel).GetAwaiter().GetResult();
        }
        finally
        {
            kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    });

    private void WithKernel(Func<XfrmKernel, Task> body) => WithKernel(async k => { await body(k); return 0; });

    private static Selector Sel(string src, string dst, byte? proto = null, ushort sport = 0, ushort dport = 0) =>
        new(AddressPrefix.Parse(src), AddressPrefix.Parse(dst), proto, sport, dport);

    private static string Normalize(string ipOutput) =>
        string.Join("\n", ipOutput.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [Test]
    public void TunnelPolicyReadsBackEqualAndIpXfrmAgrees()
    {
        var policy = new SecurityPolicy(Sel("10.1.0.0/16", "10.2.0.0/16", 6, 80), PolicyDirection.Out, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, IpsecLevel.Unique, 5, IPAddress.Parse("10.77.0.1"), IPAddress.Parse("10.77.0.2"))])
        { Priority = 100 };
        var dump = WithKernel(async k =>
        {
            await k.AddPolicyAsync(policy);
            return await k.DumpPoliciesAsync();
        });
        Assert.That(dump, Has.Count.EqualTo(1));
        Assert.That(dump[0] with { Current = null, Index = 0 }, Is.EqualTo(policy));
        Assert.That(dump[0].Index & 7, Is.EqualTo(1), "index encodes dir out");
        Assert.That(Normalize(ns.Exec("ip xfrm policy")), Is.EqualTo(Normalize("""
            src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80
            dir out priority 100 ptype main
            tmpl src 10.77.0.1 dst 10.77.0.2
            proto esp reqid 5 mode tunnel
            """)));
    }
}
