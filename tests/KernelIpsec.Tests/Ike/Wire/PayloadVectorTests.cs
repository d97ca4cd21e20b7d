using System.Net;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Wire;

/// <summary>
/// One hand-assembled body per payload (layouts of RFC 2408 §3, RFC 2407 §4.6, RFC 3947 §5.2,
/// RFC 3706 §5): the payload built through the API writes exactly these bytes, reading them
/// gives that payload's fields, and writing what was read gives the bytes back.
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class PayloadVectorTests
{
    private const ulong Icookie = 0x1122334455667788;
    private const ulong Rcookie = 0x99aabbccddeeff00;

    private static IEnumerable<TestCaseData> Vectors()
    {
        yield return Case("KE", PayloadType.KeyExchange, "00112233445566778899", new KeyExchangePayload(Convert.FromHexString("00112233445566778899")));
        yield return Case("HASH", PayloadType.Hash, "0102030405060708090a0b0c0d0e0f1011121314", new HashPayload(Convert.FromHexString("0102030405060708090a0b0c0d0e0f1011121314")));
        yield return Case("SIG", PayloadType.Signature, "a5a5a5a5", new SignaturePayload([0xa5, 0xa5, 0xa5, 0xa5]));
        yield return Case("NONCE (8, the minimum)", PayloadType.Nonce, "0001020304050607", new NoncePayload([0, 1, 2, 3, 4, 5, 6, 7]));
        yield return Case("VID DPD", PayloadType.VendorId, "afcad71368a1f1c96b8696fc77570100", new VendorIdPayload(KnownVendorIds.DeadPeerDetection.ToArray()));
        yield return Case("NAT-D (RFC 3947, 20)", PayloadType.NatDiscovery, "c0ffee", new NatDiscoveryPayload([0xc0, 0xff, 0xee]));
        yield return Case("NAT-D (draft, 130)", PayloadType.NatDiscoveryDraft, "c0ffee", new NatDiscoveryPayload([0xc0, 0xff, 0xee], Draft: true));
        yield return Case("NAT-OA IPv4 (21)", PayloadType.NatOriginalAddress, "01000000c0a8010a", new NatOriginalAddressPayload(IPAddress.Parse("192.168.1.10")));
        yield return Case("NAT-OA IPv6 (draft, 131)", PayloadType.NatOriginalAddressDraft, "05000000fd770000000000000000000000000010",
            new NatOriginalAddressPayload(IPAddress.Parse("fd77::10"), Draft: true));

        yield return Case("ID IPV4_ADDR udp/500", PayloadType.Identification, "011101f40a4d0001", IdentificationPayload.ForAddress(IPAddress.Parse("10.77.0.1"), 17, 500));
        yield return Case("ID IPV6_ADDR tcp/80", PayloadType.Identification, "05060050fd770000000000000000000000000001", IdentificationPayload.ForAddress(IPAddress.Parse("fd77::1"), 6, 80));
        yield return Case("ID IPV4_ADDR_SUBNET", PayloadType.Identification, "040000000a4d0100ffffff00", IdentificationPayload.ForSubnet(IPNetwork.Parse("10.77.1.0/24")));
        yield return Case("ID IPV6_ADDR_SUBNET", PayloadType.Identification, "06000000fd770002000000000000000000000000ffffffffffff00000000000000000000",
            IdentificationPayload.ForSubnet(IPNetwork.Parse("fd77:2::/48")));
        yield return Case("ID IPV4_ADDR_RANGE", PayloadType.Identification, "070000000a0000010a000009", IdentificationPayload.ForRange(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.9")));
        yield return Case("ID IPV6_ADDR_RANGE", PayloadType.Identification, "08000000fd770000000000000000000000000001fd7700000000000000000000000000ff",
            IdentificationPayload.ForRange(IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::ff")));
        yield return Case("ID FQDN", PayloadType.Identification, "020000006c6566742e696b6576312e74657374", IdentificationPayload.ForName(IdType.Fqdn, "left.ikev1.test"));
        yield return Case("ID USER_FQDN", PayloadType.Identification, "0300000061406b", IdentificationPayload.ForName(IdType.UserFqdn, "a@k"));
        yield return Case("ID DER_ASN1_DN", PayloadType.Identification, "09000000300d310b300906035504030c026161",
            new IdentificationPayload(IdType.DerAsn1Dn, 0, 0, Convert.FromHexString("300d310b300906035504030c026161")));
        yield return Case("ID DER_ASN1_GN", PayloadType.Identification, "0a000000820161", new IdentificationPayload(IdType.DerAsn1Gn, 0, 0, [0x82, 0x01, 0x61]));
        yield return Case("ID KEY_ID", PayloadType.Identification, "0b0000006b6579", new IdentificationPayload(IdType.KeyId, 0, 0, "key"u8.ToArray()));

        yield return Case("CERT X.509", PayloadType.Certificate, "0430820001ff", new CertificatePayload(CertificateEncoding.X509Signature, Convert.FromHexString("30820001ff")));
        yield return Case("CR X.509, any CA", PayloadType.CertificateRequest, "04", new CertificateRequestPayload(CertificateEncoding.X509Signature, []));
        yield return Case("CR X.509 with CA DN", PayloadType.CertificateRequest, "043000", new CertificateRequestPayload(CertificateEncoding.X509Signature, [0x30, 0x00]));

        yield return Case("N R-U-THERE", PayloadType.Notification, "0000000101108d28" + "112233445566778899aabbccddeeff00" + "0000002a",
            NotificationPayload.Dpd(false, Icookie, Rcookie, 42));
        yield return Case("N R-U-THERE-ACK", PayloadType.Notification, "0000000101108d29" + "112233445566778899aabbccddeeff00" + "0000002a",
            NotificationPayload.Dpd(true, Icookie, Rcookie, 42));
        yield return Case("N INITIAL-CONTACT", PayloadType.Notification, "0000000101106002" + "112233445566778899aabbccddeeff00",
            NotificationPayload.InitialContact(Icookie, Rcookie));
        yield return Case("N RESPONDER-LIFETIME", PayloadType.Notification, "0000000103046000" + "c1001001" + "80010001" + "0002000400000708",
            NotificationPayload.ResponderLifetime(ProtocolId.IpsecEsp, 0xc1001001,
                DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, (ushort)LifeType.Seconds),
                DataAttribute.Variable32((ushort)IpsecAttributeType.SaLifeDuration, 1800)));
        yield return Case("N REPLAY-STATUS", PayloadType.Notification, "0000000103046001" + "c1001001" + "00000001",
            new NotificationPayload(Doi.Ipsec, ProtocolId.IpsecEsp, NotifyType.ReplayStatus, [0xc1, 0x00, 0x10, 0x01], [0, 0, 0, 1]));
        yield return Case("N NO-PROPOSAL-CHOSEN", PayloadType.Notification, "000000010100000e",
            new NotificationPayload(Doi.Ipsec, ProtocolId.Isakmp, NotifyType.NoProposalChosen, [], []));

        yield return Case("D ESP, 2 SPIs", PayloadType.Delete, "0000000103040002c1001001c1001002", DeletePayload.ForIpsec(ProtocolId.IpsecEsp, 0xc1001001, 0xc1001002));
        yield return Case("D ISAKMP", PayloadType.Delete, "0000000101100001112233445566778899aabbccddeeff00", DeletePayload.ForIsakmp(Icookie, Rcookie));
        yield return Case("D IPCOMP CPI", PayloadType.Delete, "00000001040200011234", new DeletePayload(Doi.Ipsec, ProtocolId.IpComp, 2, [[0x12, 0x34]]));

        yield return Case("ATTR REPLY", PayloadType.Attribute, "02004242000100040a4d0901c0880000",
            new AttributePayload(ModeCfgMessageType.Reply, 0x4242,
            [
                DataAttribute.Variable((ushort)ModeCfgAttributeType.InternalIp4Address, [10, 77, 9, 1]),
                DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthType, 0),
            ]));
        yield return Case("ATTR REQUEST, empty values", PayloadType.Attribute, "0100000140890000408a0000",
            new AttributePayload(ModeCfgMessageType.Request, 1,
            [
                DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserName, []),
                DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserPassword, []),
            ]));

        yield return Case("FRAG #2 last", PayloadType.Fragment, "00010201deadbeef", new FragmentPayload(1, 2, true, [0xde, 0xad, 0xbe, 0xef]));

        // RFC 2407 phase 2 SA: ESP AES-128/SHA1 tunnel, life 3600 s (TLV), SPI c1001001.
        yield return Case("SA ESP", PayloadType.SecurityAssociation,
            "00000001" + "00000001"
            + "0000002c" + "01030401" + "c1001001"
            + "00000020" + "010c0000" + "80010001" + "0002000400000e10" + "80040001" + "80050002" + "80060080",
            new SecurityAssociationPayload(
            [
                new Proposal(1, ProtocolId.IpsecEsp, [0xc1, 0x00, 0x10, 0x01],
                [
                    new Transform(1, (byte)EspTransformId.Aes,
                    [
                        DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, (ushort)LifeType.Seconds),
                        DataAttribute.Variable32((ushort)IpsecAttributeType.SaLifeDuration, 3600),
                        DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, (ushort)EncapsulationMode.Tunnel),
                        DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, (ushort)AuthenticationAlgorithm.HmacSha1),
                        DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, 128),
                    ]),
                ]),
            ]));

        // Two proposals (AH + ESP bundle, same number) and two transforms: the next-payload links inside the SA.
        yield return Case("SA AH+ESP bundle", PayloadType.SecurityAssociation,
            "00000001" + "00000001"
            + "02000014" + "01020401" + "c2000002" + "00000008" + "01030000"
            + "0000001c" + "01030402" + "c1000001" + "03000008" + "010c0000" + "00000008" + "02030000",
            new SecurityAssociationPayload(
            [
                new Proposal(1, ProtocolId.IpsecAh, [0xc2, 0, 0, 2], [new Transform(1, (byte)AhTransformId.Sha, [])]),
                new Proposal(1, ProtocolId.IpsecEsp, [0xc1, 0, 0, 1],
                [
                    new Transform(1, (byte)EspTransformId.Aes, []),
                    new Transform(2, (byte)EspTransformId.TripleDes, []),
                ]),
            ]));
    }

    private static TestCaseData Case(string name, PayloadType type, string bodyHex, Payload built) =>
        new TestCaseData(type, bodyHex, built).SetName(name);

    [TestCaseSource(nameof(Vectors))]
    public void WritesReadsAndRewritesExactly(PayloadType type, string bodyHex, Payload built)
    {
        Assert.That(built.Type, Is.EqualTo(type));
        Assert.That(Convert.ToHexStringLower(built.ToBodyArray()), Is.EqualTo(bodyHex), "writer");

        var read = PayloadChain.ReadPayload(type, Convert.FromHexString(bodyHex));
        Assert.That(read.IsOk, Is.True, () => read.Error.ToString());
        Assert.That(read.Value.Type, Is.EqualTo(type));
        Assert.That(read.Value.ToString(), Is.EqualTo(built.ToString()), "fields read");
        Assert.That(Convert.ToHexStringLower(read.Value.ToBodyArray()), Is.EqualTo(bodyHex), "rewrite");
    }

    [Test]
    public void GenericHeaderCarriesNextTypeAndLength()
    {
        byte[] buffer = new byte[12];
        int written = new NoncePayload([0, 1, 2, 3, 4, 5, 6, 7]).Write(buffer, PayloadType.Identification);
        Assert.That(written, Is.EqualTo(12));
        Assert.That(Convert.ToHexStringLower(buffer), Is.EqualTo("0500000c0001020304050607"));
    }

    [Test]
    public void TypedAccessorsDecodeIdentities()
    {
        var subnet = (IdentificationPayload)PayloadChain.ReadPayload(PayloadType.Identification, Convert.FromHexString("040000000a4d0100ffffff00")).Value;
        Assert.That(subnet.Subnet, Is.EqualTo(IPNetwork.Parse("10.77.1.0/24")));
        var range = (IdentificationPayload)PayloadChain.ReadPayload(PayloadType.Identification, Convert.FromHexString("070000000a0000010a000009")).Value;
        Assert.That((range.Address, range.RangeEnd), Is.EqualTo((IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.9"))));
        var fqdn = (IdentificationPayload)PayloadChain.ReadPayload(PayloadType.Identification, Convert.FromHexString("021101f46c6566742e696b6576312e74657374")).Value;
        Assert.That((fqdn.Name, fqdn.Protocol, fqdn.Port), Is.EqualTo(("left.ikev1.test", (byte)17, (ushort)500)));
    }

    [Test]
    public void NotifyHelpersDecodeDpdAndCookies()
    {
        var dpd = (NotificationPayload)PayloadChain.ReadPayload(PayloadType.Notification,
            Convert.FromHexString("0000000101108d28112233445566778899aabbccddeeff000000002a")).Value;
        Assert.That(dpd.NotifyType, Is.EqualTo(NotifyType.RUThere));
        Assert.That(dpd.TryGetDpdSequence(out uint sequence), Is.True);
        Assert.That(sequence, Is.EqualTo(42));
        Assert.That(dpd.TryGetCookies(out ulong i, out ulong r), Is.True);
        Assert.That((i, r), Is.EqualTo((Icookie, Rcookie)));

        var lifetime = (NotificationPayload)PayloadChain.ReadPayload(PayloadType.Notification,
            Convert.FromHexString("0000000103046000" + "c1001001" + "80010001" + "0002000400000708")).Value;
        var attributes = lifetime.ReadAttributes().Value;
        Assert.That(attributes, Has.Length.EqualTo(2));
        Assert.That(attributes[1].TryGetInteger(out ulong seconds) ? seconds : 0, Is.EqualTo(1800));
    }

    [Test]
    public void DeleteSpisReadBackAsNumbers()
    {
        var delete = (DeletePayload)PayloadChain.ReadPayload(PayloadType.Delete, Convert.FromHexString("0000000103040002c1001001c1001002")).Value;
        Assert.That((delete.Protocol, delete.GetSpi32(0), delete.GetSpi32(1)), Is.EqualTo((ProtocolId.IpsecEsp, 0xc1001001u, 0xc1001002u)));
    }

    [TestCase(0x1234UL, "80011234")]
    [TestCase(3600UL, "80010e10")]
    [TestCase(86400UL, "0001000400015180")]
    [TestCase(0x1_0000_0000UL, "000100080000000100000000")]
    public void IntegerAttributesUseTheShortestForm(ulong value, string hex)
    {
        var attribute = DataAttribute.Integer(1, value);
        byte[] bytes = new byte[attribute.Length];
        attribute.Write(bytes);
        Assert.That(Convert.ToHexStringLower(bytes), Is.EqualTo(hex));
        var read = DataAttribute.ReadAll(bytes, "test").Value.Single();
        Assert.That(read.TryGetInteger(out ulong back) ? back : 0, Is.EqualTo(value));
    }
}
