using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Exchanges.Proposals;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.NatTraversal;

/// <summary>
/// NAT-T input that is wrong: refused with a line saying what was wrong, nothing installed, nothing crashed.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class NatTraversalHostileInputTests
{
    private static Transform EspTransform(EncapsulationMode mode) =>
        new(1, 12, [DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, (ushort)mode),
            DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, 2), DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, 128)]);

    private static SecurityAssociationPayload Offer(EncapsulationMode mode) =>
        new([new Proposal(1, ProtocolId.IpsecEsp, [0, 0, 0x10, 0x01], [EspTransform(mode)])]);

    [TestCase(EncapsulationMode.UdpTunnel)]
    [TestCase(EncapsulationMode.UdpTransport)]
    [TestCase(EncapsulationMode.UdpTunnelDraft)]
    [TestCase(EncapsulationMode.UdpTransportDraft)]
    public void An_udp_encapsulation_mode_without_nat_t_is_refused_with_the_reason(EncapsulationMode mode)
    {
        var skipped = new List<string>();
        var parsed = Phase2SaCodec.Parse(Offer(mode), skipped, udp: false);

        Assert.That(parsed.Single().Protocols.Single().Transforms, Is.Empty);
        Assert.That(skipped.Single(), Does.Contain($"encapsulation mode {(ushort)mode} (UDP encapsulation needs NAT-T, which is not negotiated)"));
    }

    [TestCase(EncapsulationMode.UdpTunnel, IpsecSaMode.Tunnel)]
    [TestCase(EncapsulationMode.UdpTransport, IpsecSaMode.Transport)]
    [TestCase(EncapsulationMode.UdpTunnelDraft, IpsecSaMode.Tunnel)]
    [TestCase(EncapsulationMode.UdpTransportDraft, IpsecSaMode.Transport)]
    public void With_nat_t_in_use_the_udp_modes_read_as_the_mode_they_wrap(EncapsulationMode mode, IpsecSaMode expected)
    {
        var skipped = new List<string>();
        var parsed = Phase2SaCodec.Parse(Offer(mode), skipped, udp: true);

        Assert.That(skipped, Is.Empty);
        Assert.That(parsed.Single().Protocols.Single().Transforms.Single().Mode, Is.EqualTo(expected));
    }

    [Test]
    public void An_unknown_encapsulation_mode_is_refused()
    {
        var skipped = new List<string>();
        Phase2SaCodec.Parse(Offer((EncapsulationMode)9), skipped, udp: true);
        Assert.That(skipped.Single(), Does.Contain("unknown encapsulation mode 9"));
    }

    [TestCase(UdpEncapsulationValues.None, IpsecSaMode.Tunnel, "80040001")]
    [TestCase(UdpEncapsulationValues.Rfc3947, IpsecSaMode.Tunnel, "80040003")]
    [TestCase(UdpEncapsulationValues.Rfc3947, IpsecSaMode.Transport, "80040004")]
    [TestCase(UdpEncapsulationValues.Draft, IpsecSaMode.Tunnel, "8004f003")]
    [TestCase(UdpEncapsulationValues.Draft, IpsecSaMode.Transport, "8004f004")]
    public void Esp_goes_out_with_the_dialects_encapsulation_mode_value(UdpEncapsulationValues udp, IpsecSaMode mode, string attribute)
    {
        var proposal = new Phase2Proposal(1, [new Phase2ProtocolOffer(IpsecSaProtocol.Esp, 0x1001, [new Phase2Transform(1, 12, mode, 128, 2, 3600, 0, null)])]);
        var bytes = Convert.ToHexStringLower(Phase2SaCodec.Build([proposal], udp).ToBodyArray());
        Assert.That(bytes, Does.Contain(attribute));
    }

    [Test]
    public void Nat_d_payloads_of_the_wrong_length_end_phase1_with_a_clear_error_and_no_sa()
    {
        using var path = NatTraversalEngineTests.Create();
        // Right's NAT-D payloads in main mode message 4 cut to 5 bytes: SHA-1 gives 20.
        path.Filter = (side, bytes) => side == path.Right ? TruncateNatD(bytes) : bytes;
        path.Run(path.Left, path.Left.Engine.HandleAcquire(new AcquireRequest(1, NatPath.Private, NatPath.Server, path.Left.Policies.Policies[0])));

        Assert.Multiple(() =>
        {
            Assert.That(path.Left.Log.Contains("ERROR: invalid NAT-D payloads from 10.77.0.2[500]: 2 payload(s) of 5/5 bytes, expected at least 2 of 20 (sha1)"), path.Left.Log.ToString());
            Assert.That(path.Left.Installed, Is.Empty);
            Assert.That(path.Right.Installed, Is.Empty);
        });
    }

    private static byte[] TruncateNatD(byte[] bytes)
    {
        var message = IsakmpMessage.Read(bytes).Value;
        if (message.Payloads is null)
        {
            return bytes;
        }
        var payloads = new List<Payload>();
        foreach (var entry in message.Payloads.Entries)
        {
            payloads.Add(entry.Payload is NatDiscoveryPayload natd ? natd with { Data = natd.Data[..5] } : entry.Payload);
        }
        return IsakmpMessage.ToArray(message.Header, [.. payloads]);
    }
}
