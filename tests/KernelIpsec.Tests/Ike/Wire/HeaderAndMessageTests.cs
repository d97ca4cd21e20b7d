using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

[TestFixture, Category(Tier.Unit)]
public class HeaderAndMessageTests
{
    [Test]
    public void HeaderWritesTheRfc2408Layout()
    {
        var header = new IsakmpHeader(0x0102030405060708, 0x1112131415161718, PayloadType.Hash, ExchangeType.QuickMode,
            IsakmpFlags.Encryption | IsakmpFlags.Commit, 0xdeadbeef, 0x4c);
        byte[] bytes = new byte[IsakmpHeader.Size];
        header.Write(bytes);
        Assert.That(Convert.ToHexStringLower(bytes), Is.EqualTo("0102030405060708" + "1112131415161718" + "08" + "10" + "20" + "03" + "deadbeef" + "0000004c"));
        Assert.That(IsakmpHeader.Read(bytes).Value, Is.EqualTo(header));
    }

    [Test]
    public void PlainMessageWriterComputesNextPayloadAndLength()
    {
        var header = new IsakmpHeader(0x0102030405060708, 0, PayloadType.None, ExchangeType.Informational, IsakmpFlags.None, 0, 0);
        byte[] bytes = IsakmpMessage.ToArray(header,
            new NotificationPayload(Doi.Ipsec, ProtocolId.Isakmp, NotifyType.InvalidMajorVersion, [], []),
            new VendorIdPayload([0xaa]));
        Assert.That(Convert.ToHexStringLower(bytes), Is.EqualTo(
            "0102030405060708" + "0000000000000000" + "0b" + "10" + "05" + "00" + "00000000" + "0000002d"
            + "0d00000c" + "0000000101000005"
            + "00000005" + "aa"));
    }

    [Test]
    public void EncryptedMessageIsHandedOverRawAndItsPlaintextParsedWithPadding()
    {
        // The exchange encrypts the chain; here a stand-in "ciphertext" is the plaintext itself plus 4 bytes of padding.
        byte[] plaintext = PayloadChain.ToArray(new HashPayload(new byte[20]), DeletePayload.ForIpsec(ProtocolId.IpsecEsp, 0xc1001001));
        byte[] padded = [.. plaintext, 0, 0, 0, 3];
        var header = new IsakmpHeader(1, 2, PayloadType.None, ExchangeType.Informational, IsakmpFlags.None, 0x01020304, 0);
        var writer = new ArrayBufferWriter<byte>();
        int length = IsakmpMessage.WriteEncrypted(writer, header, PayloadType.Hash, padded);
        Assert.That(length, Is.EqualTo(28 + padded.Length));

        var message = IsakmpMessage.Read(writer.WrittenSpan).Value;
        Assert.That(message.Header.IsEncrypted, Is.True);
        Assert.That(message.Header.NextPayload, Is.EqualTo(PayloadType.Hash));
        Assert.That(message.Payloads, Is.Null);
        Assert.That(message.EncryptedBody, Is.EqualTo(padded));

        var chain = message.ReadDecrypted(message.EncryptedBody).Value;
        Assert.That(chain.Count, Is.EqualTo(2));
        Assert.That(chain.PaddingLength, Is.EqualTo(4));
        Assert.That(chain.Find<DeletePayload>()!.GetSpi32(0), Is.EqualTo(0xc1001001));
        // Quick mode/informational HASH(1) covers the bytes after the HASH payload.
        Assert.That(padded[chain[1].Offset..chain.End], Is.EqualTo(PayloadChain.ToArray(DeletePayload.ForIpsec(ProtocolId.IpsecEsp, 0xc1001001))));
    }

    [Test]
    public void PlainWriterRefusesTheEncryptionFlag()
    {
        var header = new IsakmpHeader(1, 0, PayloadType.None, ExchangeType.IdentityProtection, IsakmpFlags.Encryption, 0, 0);
        Assert.Throws<ArgumentException>(() => IsakmpMessage.ToArray(header, new VendorIdPayload([1])));
    }

    [TestCase("RFC 3947", nameof(KnownVendorIds.NatTRfc3947))]
    [TestCase("draft-ietf-ipsec-nat-t-ike-02", nameof(KnownVendorIds.NatTDraft02))]
    [TestCase("draft-ietf-ipsec-nat-t-ike-02\n", nameof(KnownVendorIds.NatTDraft02N))]
    [TestCase("draft-ietf-ipsec-nat-t-ike-03", nameof(KnownVendorIds.NatTDraft03))]
    [TestCase("draft-ietf-ipsec-nat-t-ike-00", nameof(KnownVendorIds.NatTDraft00))]
    [TestCase("FRAGMENTATION", nameof(KnownVendorIds.Fragmentation))]
    public void NamedVendorIdsAreTheMd5OfTheirNames(string name, string property)
    {
        byte[] expected = MD5.HashData(Encoding.ASCII.GetBytes(name));
        byte[] actual = property switch
        {
            nameof(KnownVendorIds.NatTRfc3947) => KnownVendorIds.NatTRfc3947.ToArray(),
            nameof(KnownVendorIds.NatTDraft02) => KnownVendorIds.NatTDraft02.ToArray(),
            nameof(KnownVendorIds.NatTDraft02N) => KnownVendorIds.NatTDraft02N.ToArray(),
            nameof(KnownVendorIds.NatTDraft03) => KnownVendorIds.NatTDraft03.ToArray(),
            nameof(KnownVendorIds.NatTDraft00) => KnownVendorIds.NatTDraft00.ToArray(),
            _ => KnownVendorIds.Fragmentation.ToArray(),
        };
        Assert.That(Convert.ToHexStringLower(actual), Is.EqualTo(Convert.ToHexStringLower(expected)));
    }

    [Test]
    public void NotifyNamesUseTheRfcSpelling()
    {
        Assert.That(NotifyNames.Name(NotifyType.PayloadMalformed), Is.EqualTo("PAYLOAD-MALFORMED"));
        Assert.That(NotifyNames.Name(NotifyType.RUThereAck), Is.EqualTo("R-U-THERE-ACK"));
        Assert.That(NotifyNames.Name((NotifyType)40000), Is.EqualTo("NOTIFY-40000"));
        Assert.That(NotifyNames.IsError(NotifyType.InvalidSpi), Is.True);
        Assert.That(NotifyNames.IsError(NotifyType.InitialContact), Is.False);
    }
}
