using System.Buffers.Binary;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Ike.Wire.Vectors;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

/// <summary>Named malformed inputs: the error names the field and the notify to answer (RFC 2408 §5).</summary>
[TestFixture, Category(Tier.Unit)]
public class MalformedInputTests
{
    private static byte[] MainMode1 => Convert.FromHexString(CharonCaptures.Psk3desMainMode[0].Hex);

    private static IEnumerable<TestCaseData> BadPayloads()
    {
        yield return Bad("transform attribute longer than the payload", PayloadType.SecurityAssociation,
            "0000000100000001" + "0000001a01030401c1001001" + "0000000e010100000001012c0000",
            NotifyType.PayloadMalformed, "Transform payload: attribute 1 length 300 exceeds payload");
        yield return Bad("SA of another DOI", PayloadType.SecurityAssociation, "0000000200000001", NotifyType.DoiNotSupported, "SA payload: DOI 2");
        yield return Bad("SA with secrecy situation", PayloadType.SecurityAssociation, "0000000100000003", NotifyType.SituationNotSupported, "SA payload: situation 0x00000003");
        yield return Bad("SA body shorter than DOI+situation", PayloadType.SecurityAssociation, "000000010000", NotifyType.PayloadMalformed, "SA payload: body of 6 bytes");
        yield return Bad("SA: transform type where a proposal belongs", PayloadType.SecurityAssociation,
            "0000000100000001" + "0300000c01010001" + "00000008" + "01010000",
            NotifyType.BadProposalSyntax, "SA payload: next payload 3 inside an SA");
        yield return Bad("proposal ESP with a 3-byte SPI", PayloadType.SecurityAssociation,
            "0000000100000001" + "0000001301030301c10010" + "00000008010c0000", NotifyType.InvalidSpi, "SPI size 3 is invalid for IpsecEsp");
        yield return Bad("proposal declares 2 transforms, has 1", PayloadType.SecurityAssociation,
            "0000000100000001" + "0000001401030402c1001001" + "00000008010c0000", NotifyType.BadProposalSyntax, "1 transforms, 2 declared");
        yield return Bad("proposal of unknown protocol 9", PayloadType.SecurityAssociation,
            "0000000100000001" + "0000001001090001" + "00000008010c0000", NotifyType.InvalidProtocolId, "unknown protocol ID 9");
        yield return Bad("transform length beyond the proposal", PayloadType.SecurityAssociation,
            "0000000100000001" + "0000001401030401c1001001" + "00000030010c0000", NotifyType.PayloadMalformed, "payload length 48 exceeds the 8 bytes left");
        yield return Bad("nonce of 7 bytes", PayloadType.Nonce, "00010203040506", NotifyType.PayloadMalformed, "NONCE payload: data of 7 bytes, expected 8 to 256");
        yield return Bad("empty KE", PayloadType.KeyExchange, "", NotifyType.PayloadMalformed, "KE payload: data of 0 bytes");
        yield return Bad("IPV4_ADDR of 5 bytes", PayloadType.Identification, "010000000a4d000101", NotifyType.InvalidIdInformation, "ID payload: IPV4_ADDR of 5 bytes, expected 4");
        yield return Bad("subnet mask with a hole", PayloadType.Identification, "040000000a4d0100ff00ff00", NotifyType.InvalidIdInformation, "IPV4_ADDR_SUBNET mask is not contiguous");
        yield return Bad("unknown ID type 12", PayloadType.Identification, "0c00000001", NotifyType.InvalidIdInformation, "unknown ID type 12");
        yield return Bad("empty FQDN", PayloadType.Identification, "02000000", NotifyType.InvalidIdInformation, "empty Fqdn identification data");
        yield return Bad("notify SPI size beyond the payload", PayloadType.Notification, "0000000101108d28112233", NotifyType.PayloadMalformed, "Notification payload: SPI size 16 exceeds payload");
        yield return Bad("notify of DOI 7", PayloadType.Notification, "000000070100000e", NotifyType.DoiNotSupported, "Notification payload: DOI 7");
        yield return Bad("delete: 3 SPIs announced, 2 present", PayloadType.Delete, "0000000103040003c1001001c1001002", NotifyType.PayloadMalformed, "3 SPIs of 4 bytes do not fill the 8 bytes");
        yield return Bad("delete ESP with 16-byte SPIs", PayloadType.Delete, "0000000103100001112233445566778899aabbccddeeff00", NotifyType.InvalidSpi, "SPI size 16 is invalid for IpsecEsp");
        yield return Bad("NAT-OA of ID type FQDN", PayloadType.NatOriginalAddress, "02000000c0a8010a", NotifyType.InvalidIdInformation, "NAT-OA payload: ID type 2");
        yield return Bad("fragment number 0", PayloadType.Fragment, "00010001dead", NotifyType.PayloadMalformed, "fragment number 0");
        yield return Bad("ATTR of message type 9", PayloadType.Attribute, "09000001", NotifyType.PayloadMalformed, "Attribute payload: message type 9");
        yield return Bad("ATTR attribute header cut", PayloadType.Attribute, "010000014089", NotifyType.PayloadMalformed, "Attribute payload: 2 bytes left, shorter than an attribute header");
        yield return Bad("CERT without data", PayloadType.Certificate, "04", NotifyType.PayloadMalformed, "CERT payload: body of 1 bytes");
        yield return Bad("payload type 50 (reserved)", (PayloadType)50, "00", NotifyType.InvalidPayloadType, "invalid payload type 50");
    }

    private static TestCaseData Bad(string name, PayloadType type, string hex, NotifyType notify, string message) =>
        new TestCaseData(type, hex, notify, message).SetName(name);

    [TestCaseSource(nameof(BadPayloads))]
    public void PayloadErrorsNameTheFieldAndTheNotify(PayloadType type, string hex, NotifyType notify, string message)
    {
        var result = PayloadChain.ReadPayload(type, Convert.FromHexString(hex));
        Assert.That(result.IsOk, Is.False);
        Assert.That(result.Error.Notify, Is.EqualTo(notify), result.Error.ToString());
        Assert.That(result.Error.Message, Does.Contain(message));
    }

    private static IEnumerable<TestCaseData> BadHeaders()
    {
        yield return Header("major version 2", d => d[17] = 0x20, NotifyType.InvalidMajorVersion, "major version 2");
        yield return Header("minor version 1", d => d[17] = 0x11, NotifyType.InvalidMinorVersion, "minor version 1");
        yield return Header("exchange type 99", d => d[18] = 99, NotifyType.InvalidExchangeType, "unknown exchange type 99");
        yield return Header("undefined flag 0x08", d => d[19] = 0x08, NotifyType.InvalidFlags, "undefined flag bits 0x08");
        yield return Header("message ID in main mode", d => d[23] = 1, NotifyType.InvalidMessageId, "message ID 0x00000001 in a phase 1 exchange");
        yield return Header("message ID 0 in quick mode", d => d[18] = 32, NotifyType.InvalidMessageId, "message ID 0 in a QuickMode exchange");
        yield return Header("initiator cookie 0", d => d.AsSpan(0, 8).Clear(), NotifyType.InvalidCookie, "initiator cookie is zero");
        yield return Header("length one more than the datagram", d => BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(24), (uint)d.Length + 1),
            NotifyType.UnequalPayloadLengths, "ISAKMP header: length 177, datagram has 176 bytes");
        yield return Header("length below the header", d => BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(24), 27), NotifyType.PayloadMalformed, "length 27 is shorter than the header");
        yield return Header("first payload type 2 (proposal)", d => d[16] = 2, NotifyType.InvalidPayloadType, "invalid payload type 2");
        yield return Header("first payload length 3", d => BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(30), 3), NotifyType.PayloadMalformed, "payload 1 (SecurityAssociation) at offset 0: payload length 3");
        yield return Header("last payload names a next one", d => d[28 + 52 + 12 + 20 + 24 + 20] = 13, NotifyType.PayloadMalformed, "0 bytes left, shorter than a payload header");
    }

    private static TestCaseData Header(string name, Action<byte[]> edit, NotifyType notify, string message) =>
        new TestCaseData(edit, notify, message).SetName(name);

    [TestCaseSource(nameof(BadHeaders))]
    public void MessageErrorsNameTheFieldAndTheNotify(Action<byte[]> edit, NotifyType notify, string message)
    {
        byte[] datagram = MainMode1;
        edit(datagram);
        var result = IsakmpMessage.Read(datagram);
        Assert.That(result.IsOk, Is.False);
        Assert.That(result.Error.Notify, Is.EqualTo(notify), result.Error.ToString());
        Assert.That(result.Error.Message, Does.Contain(message));
    }

    [Test]
    public void EveryTruncationIsATypedError()
    {
        byte[] datagram = MainMode1;
        for (int length = 0; length < datagram.Length; length++)
        {
            var result = IsakmpMessage.Read(datagram.AsSpan(0, length));
            Assert.That(result.IsOk, Is.False, $"truncated to {length}");
        }

        // Truncated with a consistent header length: the payload chain itself is cut.
        for (int length = IsakmpHeader.Size; length < datagram.Length; length++)
        {
            byte[] cut = datagram[..length];
            BinaryPrimitives.WriteUInt32BigEndian(cut.AsSpan(24), (uint)length);
            var result = IsakmpMessage.Read(cut);
            Assert.That(result.IsOk, Is.False, $"chain truncated to {length}");
            Assert.That(result.Error.Notify, Is.EqualTo(NotifyType.PayloadMalformed), result.Error.ToString());
        }
    }

    [Test]
    public void PlainChainRejectsTrailingBytesDecryptedChainCallsThemPadding()
    {
        byte[] chain = Convert.FromHexString("0000000c0001020304050607" + "000000");
        var plain = PayloadChain.Read(chain, PayloadType.Nonce);
        Assert.That(plain.IsOk, Is.False);
        Assert.That(plain.Error.Notify, Is.EqualTo(NotifyType.UnequalPayloadLengths));
        Assert.That(plain.Error.Message, Is.EqualTo("3 bytes after the last payload (ends at offset 12)"));

        var padded = PayloadChain.Read(chain, PayloadType.Nonce, padded: true);
        Assert.That(padded.IsOk, Is.True);
        Assert.That((padded.Value.Count, padded.Value.End, padded.Value.PaddingLength), Is.EqualTo((1, 12, 3)));
    }

    [Test]
    public void NestedErrorsSayWhichPayload()
    {
        // NONCE then a 7-byte nonce as the second payload.
        byte[] chain = Convert.FromHexString("0a00000c0001020304050607" + "0000000b00010203040506");
        var result = PayloadChain.Read(chain, PayloadType.Nonce);
        Assert.That(result.Error.Message, Is.EqualTo("NONCE payload: data of 7 bytes, expected 8 to 256 (payload 2 at offset 12)"));
        Assert.That(result.Error.ToString(), Does.EndWith("[PAYLOAD-MALFORMED]"));
    }
}
