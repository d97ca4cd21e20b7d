using System.Net;
using KernelIpsec.Netlink.Events;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

/// <summary>
/// The promiscuous monitor behind <c>setkey -x</c> (SADB_X_PROMISC): every PF_KEY message on the system, other
/// processes' requests included, and XFRM-made changes as af_key broadcasts them.
/// </summary>
[TestFixture, Category(Tier.Vm)]
public class PfKeyMonitorVmTests
{
    [Test]
    public async Task SeesRequestsAnswersAndXfrmChanges()
    {
        Requirements.Vm();
        using var ns = TestNetns.Create("kpm");
        var (pfkey, xfrm) = ns.Run(() => (PfKeyKernel.Open(), XfrmKernel.Open()));
        await using var _ = pfkey;
        await using var __ = xfrm;
        await using var monitor = ns.Run(() => pfkey.SubscribePromiscuous());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<PfKeyMessageEvent>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in monitor.WithCancellation(cancel.Token))
            {
                var m = (PfKeyMessageEvent)e;
                seen.Add(m);
                if (m.TypeName == "SADB_X_SPDFLUSH")
                    return;
            }
        });

        var sa = new SecurityAssociation(IPAddress.Parse(NetnsPair.LeftAddress), IPAddress.Parse(NetnsPair.RightAddress), IpsecProtocol.Esp, 0x7777)
        {
            Encryption = KernelBackendBehaviourVmTests.Keyed(AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc")),
        };
        await pfkey.AddSaAsync(sa);
        await xfrm.DeleteSaAsync(sa.Id);
        await xfrm.AddPolicyAsync(KernelBackendBehaviourVmTests.PoliciesWithBundles()[0]);
        await xfrm.FlushPoliciesAsync(); // broadcast by af_key as SADB_X_SPDFLUSH
        await reader;

        var pid = (uint)Environment.ProcessId;
        var adds = seen.Where(m => m.TypeName == "SADB_ADD").ToList();
        Assert.That(adds, Has.Count.GreaterThanOrEqualTo(2), "our request's copy and the kernel's answer");
        Assert.That(adds.All(m => m.Pid == pid && m.Errno == 0), Is.True);
        Assert.That(adds.Select(m => m.Meaning).OfType<SaAddedEvent>().Select(e => e.Sa.Id), Has.All.EqualTo(sa.Id));
        var delete = seen.First(m => m.TypeName == "SADB_DELETE");
        Assert.That(((SaDeletedEvent)delete.Meaning!).Sa.Id, Is.EqualTo(sa.Id), "an XFRM delete as af_key broadcasts it");
        Assert.That(seen.Select(m => m.TypeName), Does.Contain("SADB_X_PROMISC"), "the monitor's own switch-on echo");
        Assert.That(seen.Select(m => m.Meaning).OfType<PolicyAddedEvent>().First().Policy.Requests, Has.Count.EqualTo(2));
    }
}
