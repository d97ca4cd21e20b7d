using System.Net;
using System.Security.Cryptography;
using KernelIpsec.Ike.Config;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Ike.Exchanges.Transaction;
using KernelIpsec.Ike.Sa;
using KernelIpsec.Ike.Wire;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;
using HashAlgorithm = KernelIpsec.Ike.Wire.HashAlgorithm;

namespace KernelIpsec.Tests.Ike.Exchanges.RemoteAccess;

/// <summary>Byte-exact vectors: the Transaction HASH, the ATTR payload and Unity network encodings, a whole XAuth REQUEST.</summary>
[TestFixture, Category(Tier.Unit)]
public class TransactionWireTests
{
    /// <summary>racoon's XAuth REQUEST body (xauth_sendreq): ATTR type 1, identifier, XAUTH-TYPE generic (TV), empty USER-NAME and PASSWORD (TLV).</summary>
    private const string XauthRequestAttr = "00000014" + "01000102" + "c0880000" + "40890000" + "408a0000";

    private static AttributePayload XauthRequest(ushort id) => new(ModeCfgMessageType.Request, id,
    [
        DataAttribute.Basic((ushort)ModeCfgAttributeType.XauthType, 0),
        DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserName, []),
        DataAttribute.Variable((ushort)ModeCfgAttributeType.XauthUserPassword, []),
    ]);

    [Test]
    public void The_xauth_request_attribute_payload_encodes_as_racoon_sends_it()
    {
        Assert.That(Convert.ToHexStringLower(PayloadChain.ToArray([XauthRequest(0x0102)])), Is.EqualTo(XauthRequestAttr));
        Assert.That(AttributePayload.Read(Convert.FromHexString(XauthRequestAttr).AsSpan(4)).TryGetValue(out var read, out _));
        Assert.That(read!.Identifier, Is.EqualTo(0x0102));
        Assert.That(read.Attributes.Select(a => a.Type), Is.EqualTo(new ushort[] { 16520, 16521, 16522 }));
    }

    [Test]
    public void The_transaction_hash_is_prf_of_skeyid_a_over_the_message_id_and_the_attr_payload()
    {
        // Expected value computed independently: HMAC-SHA1(key 01..14, 01020304 | ATTR) (Python hmac).
        var key = Enumerable.Range(1, 20).Select(b => (byte)b).ToArray();
        using var prf = IkeHashAlgorithm.Find(HashAlgorithm.Sha1)!.CreatePrf(key);
        var hash = new byte[20];

        Phase2Hash.Transaction(prf, 0x01020304, Convert.FromHexString("0000001401001234c088000040890000408a0000"), hash);

        Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo("45b76d54a0d414d2f4006be4b994cd35abba5068"));
    }

    [Test]
    public void Unity_split_networks_are_address_mask_and_six_bytes_of_padding()
    {
        var bytes = UnityNetworks.Encode([new SplitNetwork(false, IPAddress.Parse("10.77.1.0"), 24), new SplitNetwork(false, IPAddress.Parse("192.168.0.0"), 16)]);

        Assert.That(Convert.ToHexStringLower(bytes), Is.EqualTo("0a4d0100ffffff00000000000000" + "c0a80000ffff0000000000000000"));
        Assert.That(UnityNetworks.Decode(bytes), Is.EqualTo(new[] { IPNetwork.Parse("10.77.1.0/24"), IPNetwork.Parse("192.168.0.0/16") }));
    }

    /// <summary>Every Fill gives 01 02 03 ...: the identifier is 0x0102, the message id 0x01020304.</summary>
    private sealed class CountingRandom : IIkeRandom
    {
        public void Fill(Span<byte> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (byte)(i + 1);
            }
        }
    }

    [Test]
    public void The_servers_xauth_request_is_hdr_hash_attr_encrypted_with_the_phase2_style_iv()
    {
        using var h = new TransactionHarness(XauthRole.Server, serverRandom: new CountingRandom());

        var datagram = TransactionHarness.Datagrams(h.ServerExchange.Start()).Single();

        // Header: cookies, next payload HASH (8), version 1.0, exchange 6, flags E, message id, length 76.
        Assert.That(Convert.ToHexStringLower(datagram[..28]), Is.EqualTo("1111111111111111" + "2222222222222222" + "08" + "10" + "06" + "01" + "01020304" + "0000004c"));
        // Decrypted here with .NET's AES-CBC and IV = SHA1(last phase 1 block | M-ID), independently of the exchange's code.
        var keys = h.Server.Keys!.Keys;
        var iv = SHA1.HashData([.. TransactionHarness.LastPhase1Block, 0x01, 0x02, 0x03, 0x04])[..16];
        using var aes = Aes.Create();
        aes.Key = keys.EncryptionKey;
        var plain = aes.DecryptCbc(datagram[28..], iv, PaddingMode.None);
        var attr = Convert.FromHexString(XauthRequestAttr);
        var expectedHash = HMACSHA1.HashData(keys.SkeyidA, (byte[])[0x01, 0x02, 0x03, 0x04, .. attr]);
        Assert.That(Convert.ToHexStringLower(plain), Is.EqualTo("0e000018" + Convert.ToHexStringLower(expectedHash) + XauthRequestAttr + "00000000"));
        Assert.That(h.ServerLog.Contains("INFO: Sending Xauth request"));
    }
}
