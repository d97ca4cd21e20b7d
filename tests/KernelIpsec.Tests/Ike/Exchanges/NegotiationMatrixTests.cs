using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>Mode × authentication × DH group × cipher × hash, quick mode with and without PFS, transport and tunnel.</summary>
[TestFixture, Category(Tier.Unit)]
public class NegotiationMatrixTests
{
    public static IEnumerable<TestCaseData> Phase1Suites()
    {
        // The interop rig's variants first (psk-3des, psk-3des-modp1536, psk-aes128, psk-aes256, psk-aes128-nopfs).
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.TripleDesCbc, null, HashAlgorithm.Sha1, DhGroupId.Modp1024, Phase2Encryption.TripleDes, null, Phase2Authentication.HmacSha1, DhGroupId.Modp1024);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.TripleDesCbc, null, HashAlgorithm.Sha1, DhGroupId.Modp1536, Phase2Encryption.TripleDes, null, Phase2Authentication.HmacSha1, DhGroupId.Modp1536);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.AesCbc, 128, HashAlgorithm.Sha1, DhGroupId.Modp2048, Phase2Encryption.Aes, 128, Phase2Authentication.HmacSha1, DhGroupId.Modp2048);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.AesCbc, 256, HashAlgorithm.Sha2_256, DhGroupId.Modp2048, Phase2Encryption.Aes, 256, Phase2Authentication.HmacSha256, DhGroupId.Modp2048);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.AesCbc, 128, HashAlgorithm.Sha1, DhGroupId.Modp2048, Phase2Encryption.Aes, 128, Phase2Authentication.HmacSha1, null);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.AesCbc, null, HashAlgorithm.Sha2_384, DhGroupId.Modp3072, Phase2Encryption.Aes, 192, Phase2Authentication.HmacSha384, null);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.AesCbc, 192, HashAlgorithm.Sha2_512, DhGroupId.Modp1536, Phase2Encryption.Aes, null, Phase2Authentication.HmacSha512, DhGroupId.Modp768);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.DesCbc, null, HashAlgorithm.Md5, DhGroupId.Modp768, Phase2Encryption.Des, null, Phase2Authentication.HmacMd5, null);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.BlowfishCbc, 128, HashAlgorithm.Sha1, DhGroupId.Modp1024, Phase2Encryption.Blowfish, 128, Phase2Authentication.HmacSha1, null);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.CastCbc, null, HashAlgorithm.Md5, DhGroupId.Modp1024, Phase2Encryption.Cast128, null, Phase2Authentication.HmacMd5, null);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.CamelliaCbc, 256, HashAlgorithm.Sha2_256, DhGroupId.Modp2048, Phase2Encryption.Camellia, 256, Phase2Authentication.HmacSha256, null);
        yield return Case(ExchangeMode.Main, EncryptionAlgorithm.AesCbc, 128, HashAlgorithm.Sha1, DhGroupId.Modp1024, Phase2Encryption.Null, null, Phase2Authentication.HmacSha1, null);
        yield return Case(ExchangeMode.Aggressive, EncryptionAlgorithm.AesCbc, 128, HashAlgorithm.Sha1, DhGroupId.Modp2048, Phase2Encryption.Aes, 128, Phase2Authentication.HmacSha1, DhGroupId.Modp2048);
        yield return Case(ExchangeMode.Aggressive, EncryptionAlgorithm.TripleDesCbc, null, HashAlgorithm.Md5, DhGroupId.Modp1024, Phase2Encryption.TripleDes, null, Phase2Authentication.HmacMd5, null);
        yield return Case(ExchangeMode.Aggressive, EncryptionAlgorithm.AesCbc, 256, HashAlgorithm.Sha2_256, DhGroupId.Modp1536, Phase2Encryption.Aes, 256, Phase2Authentication.HmacSha256, DhGroupId.Modp1536);
    }

    private static TestCaseData Case(ExchangeMode mode, EncryptionAlgorithm c1, int? k1, HashAlgorithm h, DhGroupId g, Phase2Encryption c2, int? k2, Phase2Authentication a2, DhGroupId? pfs) =>
        new TestCaseData(mode, c1, k1, h, g, c2, k2, a2, pfs).SetName($"{mode} psk {c1}{k1} {h} {g} / ESP {c2}{k2} {a2} pfs {(pfs is null ? "none" : pfs.ToString())}");

    [TestCaseSource(nameof(Phase1Suites))]
    public void Psk_negotiation_installs_the_same_keys_on_both_sides(ExchangeMode mode, EncryptionAlgorithm c1, int? k1, HashAlgorithm h, DhGroupId g,
        Phase2Encryption c2, int? k2, Phase2Authentication a2, DhGroupId? pfs)
    {
        var scenario = new Scenario
        {
            Mode = mode,
            Cipher = new(c1, k1),
            Hash = h,
            Group = g,
            EspCipher = new(c2, k2),
            EspAuth = a2,
            Pfs = pfs,
            LeftId = mode == ExchangeMode.Aggressive ? new IdentifierConfig(IdentifierType.Fqdn, "left.ikev1.test") : null,
            RightId = mode == ExchangeMode.Aggressive ? new IdentifierConfig(IdentifierType.Fqdn, "right.ikev1.test") : null,
        };
        using var pair = scenario.CreatePair();

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty, pair.Left.Log + Environment.NewLine + pair.Right.Log);
        var keyBits = k2 ?? c2 switch { Phase2Encryption.TripleDes => 192, Phase2Encryption.Des => 64, Phase2Encryption.Null => 0, _ => 128 };
        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, (int)c2, keyBits, (int)a2);
        Assert.That(pair.Left.Log.Contains(mode == ExchangeMode.Aggressive ? "INFO: begin Aggressive mode." : "INFO: begin Identity Protection mode."));
    }

    [Test]
    public void Tunnel_mode_between_subnets_carries_the_subnets_and_tunnel_endpoints()
    {
        var scenario = new Scenario { Tunnel = true, Cipher = new(EncryptionAlgorithm.AesCbc, 128), Group = DhGroupId.Modp2048, EspCipher = new(Phase2Encryption.Aes, 128), Pfs = DhGroupId.Modp2048 };
        using var pair = scenario.CreatePair();

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Tunnel, 12, 128, 2);
        var l = pair.Left.Installed[0];
        var r = pair.Right.Installed[0];
        Assert.Multiple(() =>
        {
            Assert.That(l.LocalSelector.ToString(), Is.EqualTo("10.77.1.0/24[any] any"));
            Assert.That(l.RemoteSelector.ToString(), Is.EqualTo("10.77.2.0/24[any] any"));
            Assert.That(r.LocalSelector.ToString(), Is.EqualTo("10.77.2.0/24[any] any"));
            Assert.That(pair.Left.Log.Contains($"INFO: IPsec-SA established: ESP/Tunnel 10.77.0.2[0]->10.77.0.1[0] spi={l.InboundSpi}(0x{l.InboundSpi:x})"), pair.Left.Log.ToString());
        });
    }

    [Test]
    public void Right_side_initiating_works_the_same()
    {
        var scenario = new Scenario { Cipher = new(EncryptionAlgorithm.AesCbc, 128), Group = DhGroupId.Modp2048, EspCipher = new(Phase2Encryption.Aes, 128), Pfs = null };
        using var pair = scenario.CreatePair();

        pair.Run(pair.Right, pair.Right.Engine.HandleAcquire(scenario.AcquireFor(left: false)));

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 12, 128, 2);
        Assert.That(pair.Left.Log.Contains("INFO: respond new phase 1 negotiation: 10.77.0.1[500]<=>10.77.0.2[500]"), pair.Left.Log.ToString());
    }
}
