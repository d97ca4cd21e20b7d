using System.Net;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Tests.Ike.Wire.Vectors;

/// <summary>
/// Plain messages carrying the payloads the charon captures lack (phase 2 SA, IDs of every
/// type, CERT/CR/SIG, notifies, deletes, NAT-OA, ATTR, fragments, private payloads), so the
/// fuzzer's corpus reaches every payload reader.
/// </summary>
internal static class SyntheticMessages
{
    private static readonly IsakmpHeader QuickHeader = new(0x1122334455667788, 0x99aabbccddeeff00, PayloadType.None, ExchangeType.QuickMode, IsakmpFlags.None, 0x0badcafe, 0);
    private static readonly IsakmpHeader InfoHeader = QuickHeader with { Exchange = ExchangeType.Informational };
    private static readonly IsakmpHeader MainHeader = QuickHeader with { Exchange = ExchangeType.IdentityProtection, MessageId = 0 };
    private static readonly IsakmpHeader TransactionHeader = QuickHeader with { Exchange = ExchangeType.Transaction };

    public static IEnumerable<(string Name, byte[] Datagram)> All()
    {
        var esp = new Proposal(1, ProtocolId.IpsecEsp, [0xc1, 0x00, 0x10, 0x01],
        [
            new Transform(1, (byte)EspTransformId.Aes,
            [
                DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, (ushort)LifeType.Seconds),
                DataAttribute.Variable32((ushort)IpsecAttributeType.SaLifeDuration, 3600),
                DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, (ushort)EncapsulationMode.Tunnel),
                DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, (ushort)AuthenticationAlgorithm.HmacSha1),
                DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, 128),
                DataAttribute.Basic((ushort)IpsecAttributeType.GroupDescription, (ushort)DhGroupId.Modp2048),
            ]),
            new Transform(2, (byte)EspTransformId.TripleDes,
            [
                DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, (ushort)EncapsulationMode.UdpTransportDraft),
                DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, (ushort)AuthenticationAlgorithm.HmacMd5),
            ]),
        ]);
        var ah = new Proposal(1, ProtocolId.IpsecAh, [0xc2, 0, 0, 2], [new Transform(1, (byte)AhTransformId.Sha, [DataAttribute.Basic(5, 2)])]);
        var ipcomp = new Proposal(2, ProtocolId.IpComp, [0x12, 0x34], [new Transform(1, (byte)IpcompTransformId.Deflate, [])]);
        byte[] nonce = new byte[16];
        for (int i = 0; i < nonce.Length; i++)
        {
            nonce[i] = (byte)(i * 7);
        }

        yield return ("quick mode 1", IsakmpMessage.ToArray(QuickHeader,
            new HashPayload(new byte[20]),
            new SecurityAssociationPayload([esp, ah, ipcomp]),
            new NoncePayload(nonce),
            new KeyExchangePayload(new byte[128]),
            IdentificationPayload.ForSubnet(IPNetwork.Parse("10.77.1.0/24"), 17, 500),
            IdentificationPayload.ForSubnet(IPNetwork.Parse("fd77:2::/48")),
            new NatOriginalAddressPayload(IPAddress.Parse("192.168.1.10")),
            new NatOriginalAddressPayload(IPAddress.Parse("fd77::10"), Draft: true)));

        yield return ("ids", IsakmpMessage.ToArray(QuickHeader,
            IdentificationPayload.ForAddress(IPAddress.Parse("10.77.0.1")),
            IdentificationPayload.ForAddress(IPAddress.Parse("fd77::1"), 6, 80),
            IdentificationPayload.ForRange(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.9")),
            IdentificationPayload.ForRange(IPAddress.Parse("fd77::1"), IPAddress.Parse("fd77::ff")),
            IdentificationPayload.ForName(IdType.Fqdn, "left.ikev1.test"),
            IdentificationPayload.ForName(IdType.UserFqdn, "admin@ikev1.test"),
            new IdentificationPayload(IdType.DerAsn1Dn, 0, 0, [0x30, 0x0b, 0x31, 0x09, 0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x00]),
            new IdentificationPayload(IdType.DerAsn1Gn, 0, 0, [0x82, 0x03, 0x61, 0x62, 0x63]),
            new IdentificationPayload(IdType.KeyId, 0, 0, [1, 2, 3, 4])));

        yield return ("main mode 5 plain", IsakmpMessage.ToArray(MainHeader with { ResponderCookie = 0x0102030405060708 },
            IdentificationPayload.ForName(IdType.Fqdn, "right.ikev1.test", 17, 500),
            new CertificatePayload(CertificateEncoding.X509Signature, [0x30, 0x82, 0x00, 0x01, 0x00]),
            new CertificateRequestPayload(CertificateEncoding.X509Signature, [0x30, 0x00]),
            new CertificateRequestPayload(CertificateEncoding.X509Signature, []),
            new SignaturePayload(new byte[256]),
            new NatDiscoveryPayload(new byte[20], Draft: true),
            new NatDiscoveryPayload(new byte[20]),
            NotificationPayload.InitialContact(0x1122334455667788, 0x0102030405060708)));

        yield return ("informational", IsakmpMessage.ToArray(InfoHeader,
            new HashPayload(new byte[32]),
            NotificationPayload.Dpd(false, 0x1122334455667788, 0x99aabbccddeeff00, 0x01020304),
            NotificationPayload.Dpd(true, 0x1122334455667788, 0x99aabbccddeeff00, 0x01020304),
            NotificationPayload.ResponderLifetime(ProtocolId.IpsecEsp, 0xc1001001,
                DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, (ushort)LifeType.Seconds),
                DataAttribute.Variable32((ushort)IpsecAttributeType.SaLifeDuration, 1800)),
            new NotificationPayload(Doi.Isakmp, ProtocolId.Isakmp, NotifyType.NoProposalChosen, [], []),
            DeletePayload.ForIpsec(ProtocolId.IpsecEsp, 0xc1001001, 0xc1001002, 0xc1001003),
            DeletePayload.ForIsakmp(0x1122334455667788, 0x99aabbccddeeff00),
            new DeletePayload(Doi.Ipsec, ProtocolId.IpComp, 2, [[0x12, 0x34]]),
            new UnknownPayload((PayloadType)200, [9, 9, 9])));

        yield return ("mode-config", IsakmpMessage.ToArray(TransactionHeader,
            new HashPayload(new byte[20]),
            new AttributePayload(ModeCfgMessageType.Reply, 0x4242,
            [
                DataAttribute.Variable((ushort)ModeCfgAttributeType.InternalIp4Address, [10, 77, 9, 1]),
                DataAttribute.Variable((ushort)ModeCfgAttributeType.InternalIp4Netmask, [255, 255, 255, 0]),
                DataAttribute.Variable((ushort)ModeCfgAttributeType.UnityBanner, "welcome"u8),
                DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthType, 0),
                DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserName, []),
            ])));

        yield return ("fragment", IsakmpMessage.ToArray(MainHeader with { ResponderCookie = 1 },
            new FragmentPayload(1, 2, true, [0xde, 0xad, 0xbe, 0xef])));
    }
}
