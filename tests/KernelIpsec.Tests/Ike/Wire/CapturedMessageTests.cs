using System.Buffers;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Wire.Vectors;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

/// <summary>Real charon packets: every one parses, and writing what was read gives the same bytes.</summary>
[TestFixture, Category(Tier.Unit)]
public class CapturedMessageTests
{
    private static IEnumerable<TestCaseData> Captured()
    {
        foreach (var (name, index, from, datagram) in CharonCaptures.All())
        {
            yield return new TestCaseData(datagram).SetName($"{name} #{index} ({from})");
        }
    }

    [TestCaseSource(nameof(Captured))]
    public void ParsesAndRewritesByteExact(byte[] datagram)
    {
        var result = IsakmpMessage.Read(datagram);
        Assert.That(result.IsOk, Is.True, () => result.Error.ToString());
        var message = result.Value;

        var writer = new ArrayBufferWriter<byte>();
        if (message.Header.IsEncrypted)
        {
            IsakmpMessage.WriteEncrypted(writer, message.Header, message.Header.NextPayload, message.EncryptedBody);
        }
        else
        {
            var payloads = new Payload[message.Payloads!.Count];
            for (int i = 0; i < payloads.Length; i++)
            {
                payloads[i] = message.Payloads[i].Payload;
            }

            IsakmpMessage.Write(writer, message.Header, payloads);
        }

        Assert.That(Convert.ToHexStringLower(writer.WrittenSpan), Is.EqualTo(Convert.ToHexStringLower(datagram)));
    }

    [Test]
    public void MainModeFirstMessageCarriesTheProposalAndVendorIds()
    {
        byte[] datagram = Convert.FromHexString(CharonCaptures.Psk3desMainMode[0].Hex);
        var message = IsakmpMessage.Read(datagram).Value;

        Assert.That(message.Header.Exchange, Is.EqualTo(ExchangeType.IdentityProtection));
        Assert.That(message.Header.InitiatorCookie, Is.EqualTo(0xce168fabc344b558UL));
        Assert.That(message.Header.ResponderCookie, Is.Zero);
        Assert.That(message.Header.MessageId, Is.Zero);
        Assert.That(message.Header.Length, Is.EqualTo(176));

        var sa = message.Payloads!.Find<SecurityAssociationPayload>()!;
        Assert.That(sa.Proposals, Has.Length.EqualTo(1));
        var proposal = sa.Proposals[0];
        Assert.That(proposal.Protocol, Is.EqualTo(ProtocolId.Isakmp));
        Assert.That(proposal.Spi, Is.Empty);
        var transform = proposal.Transforms.Single();
        Assert.That(transform.TransformId, Is.EqualTo((byte)IsakmpTransformId.KeyIke));
        Assert.That(Basic(transform, Phase1AttributeType.EncryptionAlgorithm), Is.EqualTo((ushort)EncryptionAlgorithm.TripleDesCbc));
        Assert.That(Basic(transform, Phase1AttributeType.HashAlgorithm), Is.EqualTo((ushort)HashAlgorithm.Sha1));
        Assert.That(Basic(transform, Phase1AttributeType.GroupDescription), Is.EqualTo((ushort)DhGroupId.Modp1024));
        Assert.That(Basic(transform, Phase1AttributeType.AuthenticationMethod), Is.EqualTo((ushort)AuthenticationMethod.PreSharedKey));
        Assert.That(Basic(transform, Phase1AttributeType.LifeType), Is.EqualTo((ushort)LifeType.Seconds));
        Assert.That(transform.TryGetAttribute(Phase1AttributeType.LifeDuration, out var life), Is.True);
        Assert.That(life.TryGetInteger(out ulong seconds), Is.True);
        Assert.That(seconds, Is.EqualTo(15000));

        var vids = message.Payloads.FindAll<VendorIdPayload>();

        Assert.That(vids, Has.Count.EqualTo(5));
        Assert.That(vids[0].Is(KnownVendorIds.Xauth), Is.True);
        Assert.That(vids[1].Is(KnownVendorIds.DeadPeerDetection), Is.True);
        Assert.That(vids[2].StartsWith(KnownVendorIds.Fragmentation) && vids[2].Data.Length == 20, Is.True);
        Assert.That(vids[3].Is(KnownVendorIds.NatTRfc3947), Is.True);
        Assert.That(vids[4].Is(KnownVendorIds.NatTDraft02N), Is.True);
    }

    [Test]
    public void RawBodiesAreTheBytesAsReceivedForTheRfc2409Hashes()
    {
        byte[] datagram = Convert.FromHexString(CharonCaptures.AggressivePsk[0].Hex);
        var message = IsakmpMessage.Read(datagram).Value;
        var chain = message.Payloads!;

        int sa = chain.IndexOf(PayloadType.SecurityAssociation);
        Assert.That(message.RawBody(chain[sa]).ToArray(), Is.EqualTo(chain[sa].Payload.ToBodyArray()));
        Assert.That(message.RawBody(chain[sa]).Length, Is.EqualTo(chain[sa].Length - 4));

        var id = chain.Find<IdentificationPayload>()!;
        Assert.That((id.IdType, id.Name), Is.EqualTo((IdType.Fqdn, "left.ikev1.test")));
        Assert.That(chain.Find<KeyExchangePayload>()!.Data, Has.Length.EqualTo(256), "MODP2048 public value");
        Assert.That(chain.Find<NoncePayload>()!.Data.Length, Is.InRange(8, 256));
        Assert.That(message.Datagram, Is.EqualTo(datagram));
    }

    [Test]
    public void AesProposalCarriesItsKeyLengthAttribute()
    {
        // tunnel-psk proposes aes128-sha1-modp2048: AES needs the Key Length attribute (RFC 3602 §5.3).
        var message = IsakmpMessage.Read(Convert.FromHexString(CharonCaptures.TunnelPsk[0].Hex)).Value;
        var transform = message.Payloads!.Find<SecurityAssociationPayload>()!.Proposals[0].Transforms[0];
        Assert.That(Basic(transform, Phase1AttributeType.EncryptionAlgorithm), Is.EqualTo((ushort)EncryptionAlgorithm.AesCbc));
        Assert.That(Basic(transform, Phase1AttributeType.KeyLength), Is.EqualTo(128));
        Assert.That(Basic(transform, Phase1AttributeType.GroupDescription), Is.EqualTo((ushort)DhGroupId.Modp2048));
    }

    private static ushort Basic(Transform transform, Phase1AttributeType type)
    {
        Assert.That(transform.TryGetAttribute(type, out var attribute), Is.True, $"{type} missing");
        Assert.That(attribute.IsBasic, Is.True, $"{type} not basic");
        return attribute.BasicValue;
    }
}
