using System.Security.Cryptography.X509Certificates;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using AuthenticationMethod = KernelIpsec.Ike.Config.AuthenticationMethod;

namespace KernelIpsec.Tests.Ike.Exchanges;

/// <summary>RSA signatures with X.509 certificates, identities, and the ways authentication fails.</summary>
[TestFixture, Category(Tier.Unit)]
public class AuthenticationTests
{
    private X509Certificate2 ca = null!;
    private X509Certificate2 otherCa = null!;
    private X509Certificate2 left = null!;
    private X509Certificate2 right = null!;
    private X509Certificate2 rogueRight = null!;

    [OneTimeSetUp]
    public void MakePki()
    {
        ca = TestCertificates.CreateCa("ikev1-rig CA");
        otherCa = TestCertificates.CreateCa("someone else's CA");
        left = TestCertificates.CreateLeaf(ca, "left.ikev1.test", Scenario.LeftAddress, "left.ikev1.test");
        right = TestCertificates.CreateLeaf(ca, "right.ikev1.test", Scenario.RightAddress, "right.ikev1.test");
        rogueRight = TestCertificates.CreateLeaf(otherCa, "right.ikev1.test", Scenario.RightAddress, "right.ikev1.test");
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        ca.Dispose();
        otherCa.Dispose();
        left.Dispose();
        right.Dispose();
        rogueRight.Dispose();
    }

    private static Scenario RsaScenario(ExchangeMode mode) => new()
    {
        Mode = mode,
        Auth = AuthenticationMethod.RsaSignature,
        Cipher = new(EncryptionAlgorithm.AesCbc, 128),
        Group = DhGroupId.Modp2048,
        EspCipher = new(Phase2Encryption.Aes, 128),
        Pfs = DhGroupId.Modp2048,
        LeftId = new IdentifierConfig(IdentifierType.Asn1Dn, null),
        RightId = new IdentifierConfig(IdentifierType.Asn1Dn, null),
        VerifyIdentifier = true,
        // Written with other spacing than the certificate: DNs are compared by meaning.
        LeftExpects = [new IdentifierConfig(IdentifierType.Asn1Dn, "C=XX,O=ikev1-rig,CN=right.ikev1.test")],
        RightExpects = [new IdentifierConfig(IdentifierType.Asn1Dn, "C=XX, O=ikev1-rig, CN=*")],
    };

    [TestCase(ExchangeMode.Main)]
    [TestCase(ExchangeMode.Aggressive)]
    public void Rsasig_with_certificates_from_one_ca_establishes(ExchangeMode mode)
    {
        var scenario = RsaScenario(mode);
        using var pair = scenario.CreatePair(leftCerts: new CaVerifier(ca, left), rightCerts: new CaVerifier(ca, right));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty, pair.Left.Log + "\n" + pair.Right.Log);
        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 12, 128, 2);
    }

    [Test]
    public void A_certificate_from_an_untrusted_ca_is_refused_with_the_reason()
    {
        var scenario = RsaScenario(ExchangeMode.Main);
        using var pair = scenario.CreatePair(leftCerts: new CaVerifier(ca, left), rightCerts: new CaVerifier(ca, rogueRight));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        pair.RunTimers(TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Installed, Is.Empty);
            Assert.That(pair.Right.Installed, Is.Empty);
            Assert.That(pair.Left.Log.Contains("ERROR: certificate verification failed:"), pair.Left.Log.ToString());
            Assert.That(pair.Left.Failures.Single().Reason, Does.StartWith("certificate verification failed:"));
        });
    }

    [Test]
    public void A_peer_whose_identity_is_not_in_peers_identifier_is_refused()
    {
        var scenario = RsaScenario(ExchangeMode.Main) with
        {
            RightExpects = [new IdentifierConfig(IdentifierType.Asn1Dn, "C=XX, O=ikev1-rig, CN=somebody.else")],
        };
        using var pair = scenario.CreatePair(leftCerts: new CaVerifier(ca, left), rightCerts: new CaVerifier(ca, right));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        pair.RunTimers(TimeSpan.FromMinutes(2));

        Assert.That(pair.Right.Log.Contains("ERROR: mismatched ID: peer sent DerAsn1Dn C=XX, O=ikev1-rig, CN=left.ikev1.test"), pair.Right.Log.ToString());
        Assert.That(pair.Left.Installed, Is.Empty);
        Assert.That(pair.Right.Failures.Single().Reason, Does.StartWith("mismatched ID"));
        Assert.That(pair.Left.Failures, Has.Count.EqualTo(1), "the initiator gives up too");
    }

    [Test]
    public void An_id_that_does_not_name_the_certificate_is_refused()
    {
        var scenario = RsaScenario(ExchangeMode.Main) with { LeftId = new IdentifierConfig(IdentifierType.Fqdn, "not-in-the-cert.test"), VerifyIdentifier = false };
        using var pair = scenario.CreatePair(leftCerts: new CaVerifier(ca, left), rightCerts: new CaVerifier(ca, right));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Right.Log.Contains("ERROR: ID mismatched with subjectAltName: ID not-in-the-cert.test"), pair.Right.Log.ToString());
        Assert.That(pair.Right.Installed, Is.Empty);
    }

    [Test]
    public void Wrong_pre_shared_key_fails_with_a_clear_reason_and_no_sa()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair(leftKey: "not-the-same-key");

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        pair.RunTimers(TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Left.Installed.Concat(pair.Right.Installed), Is.Empty);
            Assert.That(pair.Right.Log.Contains("(pre-shared key mismatch?)"), pair.Right.Log.ToString());
            Assert.That(pair.Left.Failures.Single().Reason, Does.StartWith("phase1 negotiation failed due to time up."));
            Assert.That(pair.Right.Failures.Single().Reason, Does.Contain("pre-shared key mismatch?"));
            Assert.That(pair.Left.Log.ToString() + pair.Right.Log, Does.Not.Contain("not-the-same-key").And.Not.Contain(Scenario.Psk));
        });
    }

    [Test]
    public void A_peer_without_a_pre_shared_key_entry_is_refused()
    {
        var scenario = new Scenario();
        using var pair = new EnginePair(scenario.ConfigFor(true), scenario.ConfigFor(false),
            Scenario.PskTable("10.77.0.2", Scenario.Psk), Scenario.PskTable("192.0.2.99", Scenario.Psk));
        pair.Left.Policies.Policies.Add(scenario.PolicyFor(true));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Right.Log.Contains("ERROR: couldn't find the pskey for 10.77.0.1."), pair.Right.Log.ToString());
        Assert.That(pair.Right.Failures.Single().Reason, Is.EqualTo("couldn't find the pskey for 10.77.0.1."));
    }

    [Test]
    public void Aggressive_mode_picks_the_pre_shared_key_by_the_peers_id()
    {
        var scenario = new Scenario
        {
            Mode = ExchangeMode.Aggressive,
            LeftId = new IdentifierConfig(IdentifierType.Fqdn, "left.ikev1.test"),
            RightId = new IdentifierConfig(IdentifierType.Fqdn, "right.ikev1.test"),
        };
        // Only the ID entries exist: racoon's aggressive-mode lookup by ID.
        using var pair = new EnginePair(scenario.ConfigFor(true), scenario.ConfigFor(false),
            Scenario.PskTable("right.ikev1.test", Scenario.Psk), Scenario.PskTable("left.ikev1.test", Scenario.Psk));
        pair.Left.Policies.Policies.Add(scenario.PolicyFor(true));
        pair.Right.Policies.Policies.Add(scenario.PolicyFor(false));

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        MainModePskTests.AssertMatchingSas(pair, IpsecSaProtocol.Esp, IpsecSaMode.Transport, 3, 192, 2);
        Assert.That(pair.Left.Log.Contains("INFO: begin Aggressive mode."));
    }

    [Test]
    public void No_common_phase_1_proposal_is_answered_with_no_proposal_chosen()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair(adjustRight: r => r with
        {
            Proposals = [new Phase1Proposal { Encryption = new(EncryptionAlgorithm.AesCbc, 256), Hash = HashAlgorithm.Sha2_256, AuthenticationMethod = AuthenticationMethod.PreSharedKey, DhGroup = DhGroupId.Modp2048 }],
        });

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        pair.RunTimers(TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.Log.Contains("ERROR: no suitable proposal found"), pair.Right.Log.ToString());
            Assert.That(pair.Left.Log.Contains("WARNING: ignore unauthenticated informational from 10.77.0.2[500]: NO-PROPOSAL-CHOSEN"), pair.Left.Log.ToString());
            Assert.That(pair.Left.Failures.Single().Reason, Does.Contain("NO-PROPOSAL-CHOSEN"), "the timeout names what the peer said");
            Assert.That(pair.Right.Engine.Phase1Sas, Is.Empty, "the responder keeps no state");
        });
    }

    [Test]
    public void No_common_phase_2_proposal_fails_quick_mode_and_keeps_phase_1()
    {
        var scenario = new Scenario();
        using var pair = scenario.CreatePair(adjustRightSainfo: s => s with { EncryptionAlgorithms = [new(Phase2Encryption.Aes, 256)] });

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));
        pair.RunTimers(TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(pair.Right.Log.Contains("ERROR: no suitable policy found: ESP transform 3 not in sainfo"), pair.Right.Log.ToString());
            Assert.That(pair.Left.Log.Contains("ERROR: notification NO-PROPOSAL-CHOSEN received in informational exchange."), pair.Left.Log.ToString());
            Assert.That(pair.Left.Failures.Single().Phase, Is.EqualTo(NegotiationPhase.Phase2));
            Assert.That(pair.Left.Installed, Is.Empty);
            Assert.That(pair.Left.Engine.Phase1Sas.Single().Established, Is.True);
        });
    }

    [Test]
    public void Without_a_cert_payload_the_peers_certfile_is_used()
    {
        var scenario = RsaScenario(ExchangeMode.Main);
        using var pair = scenario.CreatePair(leftCerts: new CaVerifier(ca, left, pinnedPeer: right), rightCerts: new CaVerifier(ca, right, pinnedPeer: left),
            adjustRight: r => r with { SendCertificate = false });

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Left.Failures.Concat(pair.Right.Failures), Is.Empty, pair.Left.Log + "\n" + pair.Right.Log);
        Assert.That(pair.Left.Installed, Has.Count.EqualTo(1));
        var mm6 = KernelIpsec.Ike.Wire.IsakmpMessage.Read(pair.Sent[5].Bytes).Value;
        Assert.That(mm6.Header.IsEncrypted, Is.True);
    }

    [Test]
    public void Without_a_cert_payload_or_a_peers_certfile_rsasig_fails_clearly()
    {
        var scenario = RsaScenario(ExchangeMode.Main);
        using var pair = scenario.CreatePair(leftCerts: new CaVerifier(ca, left), rightCerts: new CaVerifier(ca, right), adjustRight: r => r with { SendCertificate = false });

        pair.Run(pair.Left, pair.Left.Engine.HandleAcquire(scenario.AcquireFor(left: true)));

        Assert.That(pair.Left.Failures.Single().Reason, Does.StartWith("no peer's CERT payload found"));
    }
}
