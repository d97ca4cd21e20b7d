using System.Net;
using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Interop;

/// <summary>
/// The NAT variants' racoon.conf and setkey.conf, as <see cref="RacoonSideConfig"/> writes them for
/// the Vm tier, read by our own config loader: no errors, and the NAT facts the shared rig found
/// racoon needs (natt listen port, peer at its public address, the second policy pair).
/// </summary>
[TestFixture, Category(Tier.Unit)]
public sealed class RacoonSideConfigNatTests
{
    [Test]
    public void EveryNatVariantOnEitherSideLoadsWithNatTraversalOn()
    {
        var dir = Directory.CreateTempSubdirectory("kernelipsec-natconf-").FullName;
        try
        {
            foreach (var variant in InteropVariant.NatVariants)
            {
                foreach (var left in new[] { true, false })
                {
                    var files = RacoonSideConfig.Write(Path.Combine(dir, variant.Name + (left ? "-left" : "-right")), variant, left, pki: null,
                        nattKeepalive: TimeSpan.FromSeconds(5));
                    var result = RacoonConfLoader.Read(files.RacoonConf);
                    Assert.That(result.Errors, Is.Empty, () => files.RacoonConf + "\n" + string.Join("\n", result.Diagnostics));
                    var config = result.Config!;
                    var own = IPAddress.Parse(variant.Addresses.Own(left));
                    Assert.That(config.Listen.Addresses, Is.EqualTo(new[] { new ListenAddress(own, 500, false), new ListenAddress(own, 4500, true) }));
                    var remote = config.Remotes.Single();
                    Assert.That(remote.Address, Is.EqualTo(IPAddress.Parse(variant.Addresses.Seen(!left))), "the peer where this side sees it");
                    Assert.That(remote.NatTraversal, Is.EqualTo(Tristate.On));
                    Assert.That(config.Timers.NattKeepalive, Is.EqualTo(TimeSpan.FromSeconds(5)));

                    // Facing a peer behind the NAT in transport mode: a second sainfo and policy pair for its own address.
                    var peerBehindNat = variant.Addresses.Own(!left) != variant.Addresses.Seen(!left);
                    var second = peerBehindNat && variant.Mode == "transport";
                    Assert.That(config.Sainfos, Has.Count.EqualTo(second ? 2 : 1), variant.Name);
                    var setkey = File.ReadAllText(files.SetkeyConf);
                    var peerOwnPolicy = $"spdadd {variant.Addresses.Own(!left)} {own} any -P in ipsec esp/transport//require;";
                    if (second)
                        Assert.That(setkey, Does.Contain(peerOwnPolicy));
                    else if (peerBehindNat)
                        Assert.That(setkey, Does.Contain($"esp/tunnel/{variant.Addresses.Seen(!left)}-{own}/require;").And.Not.Contain(peerOwnPolicy));
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
