using System.Net;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Wire.Vectors;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

/// <summary>
/// The encrypted hand-over end to end on real traffic: the reader gives the raw body, the
/// body decrypts with charon's logged key, and the plaintext parses with its padding.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class DecryptedMessageTests
{
    private static IEnumerable<TestCaseData> Negotiations()
    {
        yield return new TestCaseData("psk-3des", 8).SetName("psk-3des (3DES, transport)");
        yield return new TestCaseData("tunnel-psk", 16).SetName("tunnel-psk (AES-128, tunnel)");
    }

    [TestCaseSource(nameof(Negotiations))]
    public void EveryEncryptedMessageDecryptsToAPaddedChainThatRewritesExactly(string variant, int block)
    {
        var decrypted = CharonDecryption.Decrypt(variant == "psk-3des" ? CharonEncrypted.Psk3des : CharonEncrypted.TunnelAes128);
        Assert.That(decrypted, Has.Count.EqualTo(5), "MM5, MM6, QM1, QM2, QM3");
        foreach (var message in decrypted)
        {
            var chain = message.Message.ReadDecrypted(message.Plaintext);
            Assert.That(chain.IsOk, Is.True, () => $"message {message.Index}: {chain.Error}");
            Assert.That(chain.Value.PaddingLength, Is.LessThan(block + 1), $"message {message.Index} padding");

            var payloads = new Payload[chain.Value.Count];
            for (int i = 0; i < payloads.Length; i++)
            {
                payloads[i] = chain.Value[i].Payload;
            }

            Assert.That(Convert.ToHexStringLower(PayloadChain.ToArray(payloads)),
                Is.EqualTo(Convert.ToHexStringLower(message.Plaintext.AsSpan(0, chain.Value.End))), $"message {message.Index} rewrite");
        }
    }

    [Test]
    public void MainModeFifthAndSixthMessagesCarryAddressIdsAndHashes()
    {
        var decrypted = CharonDecryption.Decrypt(CharonEncrypted.Psk3des);
        var mm5 = decrypted[0].Message.ReadDecrypted(decrypted[0].Plaintext).Value;
        var mm6 = decrypted[1].Message.ReadDecrypted(decrypted[1].Plaintext).Value;

        Assert.That(mm5.Count, Is.EqualTo(2));
        Assert.That(mm5.Find<IdentificationPayload>()!.Address, Is.EqualTo(IPAddress.Parse("10.77.0.1")));
        Assert.That(mm5.Find<HashPayload>()!.Data, Has.Length.EqualTo(20), "HASH_I, HMAC-SHA1");
        Assert.That(mm6.Find<IdentificationPayload>()!.Address, Is.EqualTo(IPAddress.Parse("10.77.0.2")));
        // IDii_b for HASH_I: the body as sent.
        Assert.That(Convert.ToHexStringLower(decrypted[0].Plaintext.AsSpan()[mm5[0].Body]), Is.EqualTo("010000000a4d0001"));
    }

    [Test]
    public void TunnelQuickModeCarriesEspProposalNonceKeyAndSubnetIds()
    {
        var decrypted = CharonDecryption.Decrypt(CharonEncrypted.TunnelAes128);
        var qm1 = decrypted[2];
        Assert.That(qm1.Message.Header.Exchange, Is.EqualTo(ExchangeType.QuickMode));
        var chain = qm1.Message.ReadDecrypted(qm1.Plaintext).Value;

        Assert.That(chain[0].Payload, Is.TypeOf<HashPayload>(), "HASH(1) comes first");
        var proposal = chain.Find<SecurityAssociationPayload>()!.Proposals.Single();
        Assert.That(proposal.Protocol, Is.EqualTo(ProtocolId.IpsecEsp));
        Assert.That(proposal.Spi, Has.Length.EqualTo(4));
        var transform = proposal.Transforms[0];
        Assert.That(transform.TransformId, Is.EqualTo((byte)EspTransformId.Aes));
        Assert.That(transform.TryGetInteger((ushort)IpsecAttributeType.KeyLength, out ulong keyBits) ? keyBits : 0, Is.EqualTo(128));
        Assert.That(transform.TryGetInteger((ushort)IpsecAttributeType.EncapsulationMode, out ulong mode) ? mode : 0, Is.EqualTo((ulong)EncapsulationMode.Tunnel));
        Assert.That(transform.TryGetInteger((ushort)IpsecAttributeType.AuthenticationAlgorithm, out ulong auth) ? auth : 0, Is.EqualTo((ulong)AuthenticationAlgorithm.HmacSha1));
        Assert.That(transform.TryGetInteger((ushort)IpsecAttributeType.GroupDescription, out ulong group) ? group : 0, Is.EqualTo((ulong)DhGroupId.Modp2048));

        Assert.That(chain.Find<NoncePayload>(), Is.Not.Null);
        Assert.That(chain.Find<KeyExchangePayload>()!.Data, Has.Length.EqualTo(256));
        var ids = chain.FindAll<IdentificationPayload>();
        Assert.That(ids.Select(id => id.Subnet), Is.EqualTo(new[] { IPNetwork.Parse("10.77.1.0/24"), IPNetwork.Parse("10.77.2.0/24") }));

        // QM HASH(1) covers everything after the HASH payload: from the second payload to the chain's end.
        Assert.That(chain[1].Offset, Is.EqualTo(chain[0].Length));

        var qm3 = decrypted[4].Message.ReadDecrypted(decrypted[4].Plaintext).Value;
        Assert.That(qm3.Count, Is.EqualTo(1));
        Assert.That(qm3[0].Payload, Is.TypeOf<HashPayload>(), "HASH(3) alone");
    }
}
