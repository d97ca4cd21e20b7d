using System.Runtime.InteropServices;
using NUnit.Framework;

namespace KernelIpsec.Tests.Infrastructure;

/// <summary>Proves the Kernel tier's namespace fixture against this machine's kernel.</summary>
[TestFixture, Category(Tier.Kernel)]
public class KernelTierHarnessTests
{
    [Test]
    public void PolicyInstalledInAFreshNamespaceIsVisibleThereOnly()
    {
        Requirements.Root();
        using var ns = TestNetns.Create();
        ns.Exec("ip xfrm policy add src 10.77.0.1/32 dst 10.77.0.2/32 proto udp dir out priority 100 tmpl proto esp mode transport level required");

        var inside = ns.Exec("ip xfrm policy");
        Assert.That(inside, Does.Contain("src 10.77.0.1/32 dst 10.77.0.2/32 proto udp"));
        Assert.That(inside, Does.Contain("dir out priority 100"));

        using var other = TestNetns.Create();
        Assert.That(other.Exec("ip xfrm policy"), Does.Not.Contain("10.77.0.1"));
    }
}

/// <summary>Proves the Vm tier: the real kernel with ESP, and PF_KEY.</summary>
[TestFixture, Category(Tier.Vm)]
public class VmTierHarnessTests
{
    [Test]
    public void EspSaWithAesCbcAndHmacSha256Installs()
    {
        Requirements.Vm();
        using var ns = TestNetns.Create();
        ns.Exec("ip xfrm state add src 10.77.0.1 dst 10.77.0.2 proto esp spi 0x1000 mode transport " +
                "enc cbc(aes) 0x00112233445566778899aabbccddeeff " +
                "auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128");

        var state = ns.Exec("ip xfrm state");
        Assert.That(state, Does.Contain("proto esp spi 0x00001000"));
        Assert.That(state, Does.Contain("enc cbc(aes)"));
        Assert.That(state, Does.Contain("auth-trunc hmac(sha256)").And.Contain(" 128"));
    }

    [Test]
    public void PfKeySocketOpens()
    {
        Requirements.Vm();
        const int AF_KEY = 15, SOCK_RAW = 3, PF_KEY_V2 = 2;
        var fd = socket(AF_KEY, SOCK_RAW, PF_KEY_V2);
        var errno = Marshal.GetLastPInvokeError();
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), $"socket(AF_KEY) failed, errno {errno}");
        Assert.That(close(fd), Is.Zero);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    [DllImport("libc")]
    private static extern int close(int fd);
}
