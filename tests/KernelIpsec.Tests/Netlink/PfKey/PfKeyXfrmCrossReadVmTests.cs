using System.Net;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink.PfKey;

/// <summary>
/// What one backend wrote, the other reads back identically: SAs of every algorithm both can express, policies
/// with bundles, IPv4 and IPv6. The only differences are Linux's own and are asserted as such: PF_KEY cannot see an
/// ICV length XFRM chose (it reports the one af_key would have installed).
/// </summary>
[TestFixture, Category(Tier.Vm)]
public class PfKeyXfrmCrossReadVmTests
{
    private TestNetns ns = null!;
    private PfKeyKernel pfkey = null!;
    private XfrmKernel xfrm = null!;

    [SetUp]
    public void SetUp()
    {
        Requirements.Vm();
        ns = TestNetns.Create("kxr");
        (pfkey, xfrm) = ns.Run(() => (PfKeyKernel.Open(), XfrmKernel.Open()));
    }

    [TearDown]
    public async Task TearDown()
    {
        if (pfkey is not null)
            await pfkey.DisposeAsync();
        if (xfrm is not null)
            await xfrm.DisposeAsync();
        ns?.Dispose();
    }

    private static SecurityAssociation WithPfKeyIcv(SecurityAssociation sa) => sa.Authentication is { } a
        ? sa with { Authentication = new SaAlgorithm(a.Algorithm, a.Key.Span, a.Algorithm.PfKeyIcvBits) }
        : sa;

    [Test]
    public async Task SasWrittenByPfKeyReadIdenticallyThroughXfrm([Values] bool ipv6)
    {
        var sas = KernelBackendBehaviourVmTests.SasOfEveryAlgorithm(
            IPAddress.Parse(ipv6 ? NetnsPair.LeftAddress6 : NetnsPair.LeftAddress), IPAddress.Parse(ipv6 ? NetnsPair.RightAddress6 : NetnsPair.RightAddress), includeAead: false)
            .Select(WithPfKeyIcv).ToList();
        foreach (var sa in sas)
            await pfkey.AddSaAsync(sa);
        foreach (var sa in sas)
        {
            var throughPfKey = await pfkey.GetSaAsync(sa.Id);
            var throughXfrm = await xfrm.GetSaAsync(sa.Id);
            Assert.That(throughXfrm, Is.EqualTo(throughPfKey), sa.ToString());
        }

        Assert.That(await xfrm.DumpSasAsync(), Is.EqualTo(await pfkey.DumpSasAsync()));
    }

    [Test]
    public async Task SasWrittenByXfrmReadIdenticallyThroughPfKey([Values] bool ipv6)
    {
        var sas = KernelBackendBehaviourVmTests.SasOfEveryAlgorithm(
            IPAddress.Parse(ipv6 ? NetnsPair.LeftAddress6 : NetnsPair.LeftAddress), IPAddress.Parse(ipv6 ? NetnsPair.RightAddress6 : NetnsPair.RightAddress), includeAead: false)
            .ToList();
        foreach (var sa in sas)
            await xfrm.AddSaAsync(sa);
        foreach (var sa in sas)
        {
            var throughXfrm = await xfrm.GetSaAsync(sa.Id);
            var throughPfKey = await pfkey.GetSaAsync(sa.Id);
            // PF_KEY has no field for the ICV length: it reports af_key's (96 for HMAC-SHA-256 where XFRM installed 128).
            Assert.That(throughPfKey, Is.EqualTo(WithPfKeyIcv(throughXfrm!)), sa.ToString());
            if (sa.Authentication?.Algorithm.Name == "hmac-sha256")
                Assert.That((throughXfrm!.Authentication!.IcvBits, throughPfKey!.Authentication!.IcvBits), Is.EqualTo((128, 96)));
        }
    }

    [Test]
    public async Task AeadSaWrittenByXfrmReadsThroughPfKeyWithoutCipher()
    {
        var gcm = new SecurityAssociation(IPAddress.Parse(NetnsPair.LeftAddress), IPAddress.Parse(NetnsPair.RightAddress), IpsecProtocol.Esp, 0x4106)
        {
            Aead = KernelBackendBehaviourVmTests.Keyed(AlgorithmRegistry.Get(AlgorithmKind.Aead, "aes-gcm-16")),
        };
        await xfrm.AddSaAsync(gcm);
        var throughPfKey = await pfkey.GetSaAsync(gcm.Id);
        Assert.That((throughPfKey!.Id, throughPfKey.Aead, throughPfKey.Encryption), Is.EqualTo((gcm.Id, (SaAlgorithm?)null, (SaAlgorithm?)null)),
            "af_key reports no algorithm for an AEAD SA");
    }

    [Test]
    public async Task PoliciesWrittenByEitherReadIdenticallyThroughTheOther()
    {
        var policies = KernelBackendBehaviourVmTests.PoliciesWithBundles();
        for (var i = 0; i < policies.Count; i++)
        {
            if (i % 2 == 0)
                await pfkey.AddPolicyAsync(policies[i]);
            else
                await xfrm.AddPolicyAsync(policies[i]);
        }

        foreach (var p in policies)
        {
            var throughPfKey = await pfkey.GetPolicyAsync(p.Id);
            var throughXfrm = await xfrm.GetPolicyAsync(p.Id);
            Assert.That(throughPfKey, Is.EqualTo(throughXfrm), p.ToString());
            Assert.That(throughPfKey! with { Index = 0, Current = null }, Is.EqualTo(p));
            Assert.That(await pfkey.GetPolicyByIndexAsync(throughXfrm!.Index), Is.EqualTo(throughXfrm), "SPDGET by index");
        }

        Assert.That(await pfkey.DumpPoliciesAsync(), Is.EqualTo(await xfrm.DumpPoliciesAsync()));

        var first = await xfrm.GetPolicyAsync(policies[0].Id);
        await pfkey.DeletePolicyByIndexAsync(first!.Index);
        Assert.That(await xfrm.GetPolicyAsync(policies[0].Id), Is.Null, "SPDDELETE2 removed it");
    }

    [Test]
    public async Task PfKeyTransportEndpointsAndUseReqidAreDroppedByLinux()
    {
        var policy = new SecurityPolicy(new Selector(AddressPrefix.Parse("10.5.0.0/16"), AddressPrefix.Parse("10.6.0.0/16")), PolicyDirection.In, PolicyAction.Allow,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Use, 7, IPAddress.Parse(NetnsPair.LeftAddress), IPAddress.Parse(NetnsPair.RightAddress))]);
        await pfkey.AddPolicyAsync(policy);
        var read = await xfrm.GetPolicyAsync(policy.Id);
        Assert.That(read!.Requests.Single(), Is.EqualTo(new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport, IpsecLevel.Use)),
            "af_key keeps endpoints only in tunnel mode and a reqid only with level unique");
    }

    [Test]
    public async Task SupportedAlgorithmsAreTheRegistrysOnes()
    {
        var (auth, encrypt) = await pfkey.SupportedAlgorithmsAsync();
        foreach (var a in auth)
            Assert.That(AlgorithmRegistry.FromSadbId(AlgorithmKind.Authentication, a.Id), Is.Not.Null, $"auth {a.Id}");
        foreach (var e in encrypt)
            Assert.That(AlgorithmRegistry.FromSadbId(AlgorithmKind.Encryption, e.Id), Is.Not.Null, $"cipher {e.Id}");
        Assert.That(encrypt.Select(e => e.Id), Does.Contain((byte)12));
    }
}
