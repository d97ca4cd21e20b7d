using System.Net;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Netlink.Model.Algorithms;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Netlink;

[TestFixture, Category(Tier.Unit)]
public class ModelValidationTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");
    private static readonly IPAddress V6 = IPAddress.Parse("fd77::1");

    private static SaAlgorithm Alg(AlgorithmKind kind, string name, int keyBytes) =>
        new(AlgorithmRegistry.Get(kind, name), new byte[keyBytes]);

    [Test]
    public void PrefixParsesAndRejectsBadLengths()
    {
        Assert.That(AddressPrefix.Parse("10.1.2.3/24").ToString(), Is.EqualTo("10.1.2.3/24"));
        Assert.That(AddressPrefix.Parse("fd77::1").PrefixLength, Is.EqualTo(128));
        Assert.That(() => AddressPrefix.Parse("10.0.0.0/33"), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("prefix length /33 of 10.0.0.0 is out of range 0..32"));
        Assert.That(() => AddressPrefix.Parse("nope/8"), Throws.InstanceOf<FormatException>());
    }

    [Test]
    public void SelectorFamiliesMustMatch() =>
        Assert.That(() => new Selector(AddressPrefix.Host(A), AddressPrefix.Host(V6)),
            Throws.ArgumentException.With.Message.Contains("different address families"));

    [Test]
    public void SaIdToStringIsTheErrorForm() =>
        Assert.That(new SaId(A, B, IpsecProtocol.Esp, 0x100).ToString(), Is.EqualTo("esp spi 0x100 10.0.0.1->10.0.0.2"));

    [Test]
    public void IpcompCpiIs16Bits() =>
        Assert.That(() => new SaId(A, B, IpsecProtocol.IpComp, 0x10000), Throws.ArgumentException.With.Message.Contains("CPI 0x10000 does not fit in 16 bits"));

    [Test]
    public void KeyLengthIsCheckedWhenTheAlgorithmIsKeyed() =>
        Assert.That(() => Alg(AlgorithmKind.Authentication, "hmac-sha1", 16),
            Throws.ArgumentException.With.Message.EqualTo("hmac-sha1: a key of 128 bits is not allowed (allowed: 160 bits)"));

    [Test]
    public void AlgorithmInTheWrongSlotIsRejected() =>
        Assert.That(() => new SecurityAssociation(A, B, IpsecProtocol.Esp, 0x100) { Encryption = Alg(AlgorithmKind.Authentication, "hmac-md5", 16) },
            Throws.ArgumentException.With.Message.Contains("hmac-md5 is a Authentication algorithm, not Encryption"));

    [Test]
    public void EspWithoutAlgorithmsIsInvalid() =>
        Assert.That(() => new SecurityAssociation(A, B, IpsecProtocol.Esp, 0x100).Validate(),
            Throws.ArgumentException.With.Message.EqualTo("esp spi 0x100 10.0.0.1->10.0.0.2: ESP needs an encryption, authentication or AEAD algorithm"));

    [Test]
    public void AeadExcludesSeparateAlgorithms()
    {
        var sa = new SecurityAssociation(A, B, IpsecProtocol.Esp, 0x100)
        {
            Aead = Alg(AlgorithmKind.Aead, "aes-gcm-16", 20),
            Authentication = Alg(AlgorithmKind.Authentication, "hmac-sha1", 20),
        };
        Assert.That(sa.Validate, Throws.ArgumentException.With.Message.Contains("AEAD cipher excludes"));
    }

    [Test]
    public void AhCarriesOnlyAuthentication()
    {
        var sa = new SecurityAssociation(A, B, IpsecProtocol.Ah, 0x100)
        {
            Authentication = Alg(AlgorithmKind.Authentication, "hmac-sha1", 20),
            Encryption = Alg(AlgorithmKind.Encryption, "aes-cbc", 16),
        };
        Assert.That(sa.Validate, Throws.ArgumentException.With.Message.Contains("AH carries only an authentication algorithm"));
    }

    [Test]
    public void NatTraversalOnlyForEsp()
    {
        var sa = new SecurityAssociation(A, B, IpsecProtocol.Ah, 0x100)
        {
            Authentication = Alg(AlgorithmKind.Authentication, "hmac-sha1", 20),
            NatTraversal = new NatTraversal(EncapsulationType.EspInUdp, 4500, 4500),
        };
        Assert.That(sa.Validate, Throws.ArgumentException.With.Message.Contains("NAT-T) applies to ESP only"));
    }

    [Test]
    public void ValidEspSaPasses()
    {
        var sa = new SecurityAssociation(A, B, IpsecProtocol.Esp, 0x100)
        {
            Encryption = Alg(AlgorithmKind.Encryption, "aes-cbc", 16),
            Authentication = Alg(AlgorithmKind.Authentication, "hmac-sha256", 32),
            Lifetime = new Lifetime(new LifetimeLimits(AddSeconds: 2880), new LifetimeLimits(AddSeconds: 3600)),
        };
        Assert.That(sa.Validate, Throws.Nothing);
        Assert.That(sa.Authentication!.IcvBits, Is.EqualTo(128));
    }

    [Test]
    public void SoftLifetimeAboveHardIsRejected() =>
        Assert.That(() => new Lifetime(new LifetimeLimits(AddSeconds: 4000), new LifetimeLimits(AddSeconds: 3600)),
            Throws.ArgumentException.With.Message.EqualTo("soft lifetime add seconds 4000 exceeds hard lifetime add seconds 3600"));

    [Test]
    public void SaAlgorithmsCompareByKeyBytesAndNeverPrintKeys()
    {
        var key = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
        var aes = AlgorithmRegistry.Get(AlgorithmKind.Encryption, "aes-cbc");
        Assert.That(new SaAlgorithm(aes, key), Is.EqualTo(new SaAlgorithm(aes, (byte[])key.Clone())));
        Assert.That(new SaAlgorithm(aes, key), Is.Not.EqualTo(new SaAlgorithm(aes, new byte[16])));
        Assert.That(new SaAlgorithm(aes, key).ToString(), Is.EqualTo("SaAlgorithm { Algorithm = aes-cbc, KeyBits = 128, IcvBits = 0 }"));
    }

    [Test]
    public void TunnelRequestNeedsEndpoints() =>
        Assert.That(() => new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel),
            Throws.ArgumentException.With.Message.Contains("tunnel mode needs both endpoints"));

    [Test]
    public void RequestModeAnyIsRejected() =>
        Assert.That(() => new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Any),
            Throws.ArgumentException.With.Message.Contains("mode must be transport or tunnel"));

    [Test]
    public void RequestEndpointFamiliesMustMatch() =>
        Assert.That(() => new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, tunnelSource: A, tunnelDestination: V6),
            Throws.ArgumentException.With.Message.Contains("different address families"));

    [TestCase(IpsecLevel.Unique, 5u, "esp/tunnel/10.0.0.1-10.0.0.2/unique:5")]
    [TestCase(IpsecLevel.Unique, 16385u, "esp/tunnel/10.0.0.1-10.0.0.2/unique#16385")]
    [TestCase(IpsecLevel.Require, 0u, "esp/tunnel/10.0.0.1-10.0.0.2/require")]
    public void RequestReadsLikeSetkey(IpsecLevel level, uint reqid, string text) =>
        Assert.That(new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Tunnel, level, reqid, A, B).ToString(), Is.EqualTo(text));

    [Test]
    public void BlockPolicyCannotHaveRequests()
    {
        var p = new SecurityPolicy(Selector.Any(System.Net.Sockets.AddressFamily.InterNetwork), PolicyDirection.Out, PolicyAction.Block,
            [new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport)]);
        Assert.That(p.Validate, Throws.ArgumentException.With.Message.Contains("a discard (block) policy cannot have IPsec requests"));
    }

    [Test]
    public void PoliciesCompareRequestsByValue()
    {
        var sel = new Selector(AddressPrefix.Parse("10.1.0.0/16"), AddressPrefix.Parse("10.2.0.0/16"), 6, 80);
        SecurityPolicy Make() => new(sel, PolicyDirection.Out, PolicyAction.Allow, [new IpsecRequest(IpsecProtocol.Ah, IpsecMode.Transport), new IpsecRequest(IpsecProtocol.Esp, IpsecMode.Transport)]);
        var first = Make();
        Assert.That(first, Is.EqualTo(Make()));
        Assert.That(Make() with { Priority = 5 }, Is.Not.EqualTo(Make()));
    }
}
