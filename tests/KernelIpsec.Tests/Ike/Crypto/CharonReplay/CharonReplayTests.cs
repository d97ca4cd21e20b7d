using System.Net;
using System.Text;
using KernelIpsec.Ike.Crypto.Ciphers;
using KernelIpsec.Ike.Crypto.Derivation;
using KernelIpsec.Ike.Crypto.Hashes;
using KernelIpsec.Tests.Infrastructure;
using NUnit.Framework;

namespace KernelIpsec.Tests.Ike.Crypto.CharonReplay;

/// <summary>
/// Replays IKEv1 negotiations between two strongSwan charons (captured in the VM by
/// CharonCapture/capture.sh: charon's own derived keys at log level 4 and the IKE datagrams from
/// the wire) through our derivation. Every value charon logged must come out of our code
/// byte for byte, and our keys must decrypt every encrypted message into a well-formed payload
/// chain whose HASH payloads are the ones we compute. Only g^xy is taken from the log: the
/// private keys never leave charon (DH itself is covered by the RFC 5903 and MODP tests).
/// Variants: main mode PSK 3DES/SHA-1/modp1024 (SKEYID_e expansion), AES-256/SHA-256/modp2048,
/// AES-128 without PFS; aggressive mode PSK; main mode RSA signatures (SIG checked with the CERT).
/// </summary>
[TestFixture, Category(Tier.Unit)]
public class CharonReplayTests
{
    private static readonly byte[] Psk = Encoding.ASCII.GetBytes("ikev1-rig-pre-shared-key-0123");
    private static readonly IPAddress Initiator = IPAddress.Parse("10.77.0.1");

    private static readonly object[] Scenarios =
    [
        // variant, hash, cipher, cipher key bits, main mode?, ESP encryption key bytes, ESP integrity key bytes
        new object[] { "psk-3des", "sha1", "3des", 0, true, 24, 20 },
        new object[] { "psk-aes256", "sha256", "aes", 256, true, 32, 32 },
        new object[] { "aggr-psk", "sha1", "aes", 128, false, 16, 20 },
        new object[] { "psk-aes128-nopfs", "sha1", "aes", 128, true, 16, 20 },
        new object[] { "rsa", "sha1", "aes", 128, true, 16, 20 },
    ];

    private const byte Cert = 6, Signature = 9;

    [TestCaseSource(nameof(Scenarios))]
    public void Our_derivation_reproduces_charons_keys_and_decrypts_its_messages(
        string variant, string hashName, string cipherName, int keyBits, bool mainMode, int espEncryptionKey, int espIntegrityKey)
    {
        var directory = CaptureDirectory(variant);
        var log = new CharonKeyLog(Path.Combine(directory, "left-charon.log")); // left (10.77.0.1) initiated
        var datagrams = IkeExchangeCapture.Messages(PcapIsakmp.Read(Path.Combine(directory, "ike.pcap")));
        var hash = IkeHashAlgorithm.FindByName(hashName)!;
        var cipherAlgorithm = IkeCipherAlgorithm.FindByName(cipherName)!;
        int blockSize = cipherAlgorithm.BlockSize;

        // ---- phase 1 inputs from the plaintext messages
        byte[] saI, gxi, gxr, ni, nr, cookieI, cookieR;
        byte[]? idIrFromAggressive = null, hashRFromAggressive = null, idIiFromAggressive = null;
        int next;
        if (mainMode)
        {
            var m1 = IsakmpChain.WalkPlain(datagrams[0].Isakmp).Payloads;
            var m3 = IsakmpChain.WalkPlain(datagrams[2].Isakmp).Payloads;
            var m4 = IsakmpChain.WalkPlain(datagrams[3].Isakmp).Payloads;
            Assert.That(datagrams[0].Source, Is.EqualTo(Initiator));
            saI = IsakmpChain.Single(m1, IsakmpChain.Sa).Body;
            gxi = IsakmpChain.Single(m3, IsakmpChain.KeyExchange).Body;
            ni = IsakmpChain.Single(m3, IsakmpChain.Nonce).Body;
            gxr = IsakmpChain.Single(m4, IsakmpChain.KeyExchange).Body;
            nr = IsakmpChain.Single(m4, IsakmpChain.Nonce).Body;
            cookieR = IsakmpChain.CookieR(datagrams[3].Isakmp);
            next = 4;
        }
        else
        {
            var m1 = IsakmpChain.WalkPlain(datagrams[0].Isakmp).Payloads;
            var m2 = IsakmpChain.WalkPlain(datagrams[1].Isakmp).Payloads;
            saI = IsakmpChain.Single(m1, IsakmpChain.Sa).Body;
            gxi = IsakmpChain.Single(m1, IsakmpChain.KeyExchange).Body;
            ni = IsakmpChain.Single(m1, IsakmpChain.Nonce).Body;
            idIiFromAggressive = IsakmpChain.Single(m1, IsakmpChain.Id).Body;
            gxr = IsakmpChain.Single(m2, IsakmpChain.KeyExchange).Body;
            nr = IsakmpChain.Single(m2, IsakmpChain.Nonce).Body;
            idIrFromAggressive = IsakmpChain.Single(m2, IsakmpChain.Id).Body;
            hashRFromAggressive = IsakmpChain.Single(m2, IsakmpChain.Hash).Body;
            cookieR = IsakmpChain.CookieR(datagrams[1].Isakmp);
            next = 2;
        }
        cookieI = IsakmpChain.CookieI(datagrams[0].Isakmp);
        var gxy = log.Get("shared Diffie Hellman secret");

        // ---- NAT-D: charon logs each hash input ("natd_chunk": CKY-I | CKY-R | IP | port) and result
        Assert.That(log.Count("natd_hash"), Is.GreaterThanOrEqualTo(2), "NAT-D hashes logged");
        for (int i = 0; i < log.Count("natd_hash"); i++)
        {
            var chunk = log.Get("natd_chunk", i);
            Assert.That(Hex(chunk.AsSpan(0, 16)), Is.EqualTo(Hex([.. cookieI, .. cookieR])), "NAT-D input starts with the cookies");
            var address = new IPAddress(chunk.AsSpan(16, 4));
            ushort port = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(chunk.AsSpan(20));
            Assert.That(Hex(NatDiscoveryHash.Compute(hash, cookieI, cookieR, address, port)), Is.EqualTo(Hex(log.Get("natd_hash", i))), $"NAT-D for {address}:{port}");
        }

        // ---- SKEYID family, Ka, phase 1 IV
        bool signatures = variant == "rsa";
        var skeyid = signatures ? Skeyid.ForSignatures(hash, ni, nr, gxy) : Skeyid.ForPreSharedKey(hash, Psk, ni, nr);
        Assert.That(Hex(skeyid), Is.EqualTo(Hex(log.Get("SKEYID"))), "SKEYID");
        using var keys = Phase1Keys.Derive(hash, skeyid, gxy, cookieI, cookieR, cipherAlgorithm.KeyLengthBytes(keyBits));
        Assert.That(Hex(keys.SkeyidD), Is.EqualTo(Hex(log.Get("SKEYID_d"))), "SKEYID_d");
        Assert.That(Hex(keys.SkeyidA), Is.EqualTo(Hex(log.Get("SKEYID_a"))), "SKEYID_a");
        Assert.That(Hex(keys.SkeyidE), Is.EqualTo(Hex(log.Get("SKEYID_e"))), "SKEYID_e");
        Assert.That(Hex(keys.EncryptionKey), Is.EqualTo(Hex(log.Get("encryption key Ka"))), "Ka (appendix B expansion when SKEYID_e is short)");
        var iv = IkeIv.Phase1(hash, gxi, gxr, blockSize);
        Assert.That(Hex(iv), Is.EqualTo(Hex(log.Get("initial IV"))), "phase 1 IV");

        using var cipher = cipherAlgorithm.Create(keys.EncryptionKey);
        using var prfSkeyid = hash.CreatePrf(skeyid);
        var ourHash = new byte[hash.HashLength];

        // ---- phase 1 authentication: HASH_I / HASH_R, in the encrypted messages
        if (mainMode)
        {
            var m5 = Decrypt(cipher, iv, datagrams[next++].Isakmp, blockSize);
            Assert.That(Hex(iv), Is.EqualTo(Hex(log.Get("next IV for MID 0", 0))), "IV after message 5");
            var idIi = IsakmpChain.Single(m5, IsakmpChain.Id).Body;
            Phase1Hash.HashI(prfSkeyid, gxi, gxr, cookieI, cookieR, saI, idIi, ourHash);
            Assert.That(Hex(ourHash), Is.EqualTo(Hex(log.Get("HASH_I"))), "HASH_I vs charon's log");
            CheckAuthentication(m5, ourHash, signatures, "message 5");

            var m6 = Decrypt(cipher, iv, datagrams[next++].Isakmp, blockSize);
            Assert.That(Hex(iv), Is.EqualTo(Hex(log.Get("next IV for MID 0", 1))), "IV after message 6");
            var idIr = IsakmpChain.Single(m6, IsakmpChain.Id).Body;
            Phase1Hash.HashR(prfSkeyid, gxi, gxr, cookieI, cookieR, saI, idIr, ourHash);
            Assert.That(Hex(ourHash), Is.EqualTo(Hex(log.Get("HASH_R"))), "HASH_R vs charon's log");
            CheckAuthentication(m6, ourHash, signatures, "message 6");
        }
        else
        {
            Phase1Hash.HashR(prfSkeyid, gxi, gxr, cookieI, cookieR, saI, idIrFromAggressive!, ourHash);
            Assert.That(Hex(ourHash), Is.EqualTo(Hex(log.Get("HASH_R"))), "HASH_R vs charon's log");
            Assert.That(Hex(ourHash), Is.EqualTo(Hex(hashRFromAggressive!)), "HASH_R vs aggressive message 2");

            var m3 = Decrypt(cipher, iv, datagrams[next++].Isakmp, blockSize);
            Phase1Hash.HashI(prfSkeyid, gxi, gxr, cookieI, cookieR, saI, idIiFromAggressive!, ourHash);
            Assert.That(Hex(ourHash), Is.EqualTo(Hex(log.Get("HASH_I"))), "HASH_I vs charon's log");
            Assert.That(Hex(ourHash), Is.EqualTo(Hex(IsakmpChain.Single(m3, IsakmpChain.Hash).Body)), "HASH_I vs aggressive message 3");
        }
        var lastPhase1Block = (byte[])iv.Clone();

        // ---- quick mode: IV, HASH(1), HASH(2), HASH(3)
        using var prfA = hash.CreatePrf(keys.SkeyidA);
        var q1Message = datagrams[next++].Isakmp;
        Assert.That(IsakmpChain.ExchangeType(q1Message), Is.EqualTo(32), "quick mode");
        uint mid = IsakmpChain.MessageId(q1Message);
        var qmIv = IkeIv.Phase2(hash, lastPhase1Block, mid, blockSize);
        Assert.That(Hex(qmIv), Is.EqualTo(Hex(log.Get($"next IV for MID {mid}", 0))), "quick mode IV");

        var (q1, q1Plain, q1Length) = DecryptWithPlaintext(cipher, qmIv, q1Message, blockSize);
        Assert.That(q1[0].Type, Is.EqualTo(IsakmpChain.Hash), "HASH(1) comes first");
        var niQm = IsakmpChain.Single(q1, IsakmpChain.Nonce).Body;
        uint spiI = IsakmpChain.FirstProposalSpi(IsakmpChain.Single(q1, IsakmpChain.Sa).Body, out byte protocol);
        Phase2Hash.QuickModeHash1(prfA, mid, q1Plain.AsSpan(q1[0].Whole.Length, q1Length - q1[0].Whole.Length), ourHash);
        Assert.That(Hex(ourHash), Is.EqualTo(Hex(q1[0].Body)), "HASH(1) vs message");
        Assert.That(Hex(ourHash), Is.EqualTo(Hex(log.Get("Hash(1)"))), "HASH(1) vs charon's log");

        var (q2, q2Plain, q2Length) = DecryptWithPlaintext(cipher, qmIv, datagrams[next++].Isakmp, blockSize);
        var nrQm = IsakmpChain.Single(q2, IsakmpChain.Nonce).Body;
        uint spiR = IsakmpChain.FirstProposalSpi(IsakmpChain.Single(q2, IsakmpChain.Sa).Body, out _);
        Phase2Hash.QuickModeHash2(prfA, mid, niQm, q2Plain.AsSpan(q2[0].Whole.Length, q2Length - q2[0].Whole.Length), ourHash);
        Assert.That(Hex(ourHash), Is.EqualTo(Hex(q2[0].Body)), "HASH(2) vs message");
        Assert.That(Hex(ourHash), Is.EqualTo(Hex(log.Get("Hash(2)"))), "HASH(2) vs charon's log");

        var q3 = Decrypt(cipher, qmIv, datagrams[next++].Isakmp, blockSize);
        Phase2Hash.QuickModeHash3(prfA, mid, niQm, nrQm, ourHash);
        Assert.That(Hex(ourHash), Is.EqualTo(Hex(IsakmpChain.Single(q3, IsakmpChain.Hash).Body)), "HASH(3) vs message");
        Assert.That(Hex(ourHash), Is.EqualTo(Hex(log.Get("Hash(3)"))), "HASH(3) vs charon's log");
        Assert.That(next, Is.EqualTo(datagrams.Count), "every captured datagram was replayed");

        // ---- KEYMAT (PFS: g(qm)^xy from charon's CHILD_SA log), one SA per direction
        Assert.That(protocol, Is.EqualTo(3), "ESP");
        using var prfD = hash.CreatePrf(keys.SkeyidD);
        // without PFS charon logs no "DH secret" and KEYMAT has no g(qm)^xy
        var pfs = log.Count("DH secret") > 0 ? log.Get("DH secret") : [];
        Assert.That(pfs.Length > 0, Is.EqualTo(variant != "psk-aes128-nopfs"), "PFS as the variant says");
        // the initiator's outbound SA is the one the responder's SPI names
        var outbound = Keymat.Derive(prfD, pfs, protocol, spiR, niQm, nrQm, espEncryptionKey + espIntegrityKey);
        var inbound = Keymat.Derive(prfD, pfs, protocol, spiI, niQm, nrQm, espEncryptionKey + espIntegrityKey);
        Assert.That(Hex(outbound.AsSpan(0, espEncryptionKey)), Is.EqualTo(Hex(log.Get("encryption initiator key"))), "KEYMAT initiator encryption");
        Assert.That(Hex(outbound.AsSpan(espEncryptionKey)), Is.EqualTo(Hex(log.Get("integrity initiator key"))), "KEYMAT initiator integrity");
        Assert.That(Hex(inbound.AsSpan(0, espEncryptionKey)), Is.EqualTo(Hex(log.Get("encryption responder key"))), "KEYMAT responder encryption");
        Assert.That(Hex(inbound.AsSpan(espEncryptionKey)), Is.EqualTo(Hex(log.Get("integrity responder key"))), "KEYMAT responder integrity");
    }

    /// <summary>The responder's log must agree with the initiator's (both sides derived the same).</summary>
    [TestCase("psk-3des")]
    [TestCase("psk-aes256")]
    [TestCase("aggr-psk")]
    [TestCase("psk-aes128-nopfs")]
    [TestCase("rsa")]
    public void Both_charons_logged_the_same_phase_1_keys(string variant)
    {
        var directory = CaptureDirectory(variant);
        var left = new CharonKeyLog(Path.Combine(directory, "left-charon.log"));
        var right = new CharonKeyLog(Path.Combine(directory, "right-charon.log"));
        foreach (var label in new[] { "SKEYID", "SKEYID_d", "SKEYID_a", "SKEYID_e", "encryption key Ka", "initial IV", "HASH_I", "HASH_R" })
            Assert.That(Hex(right.Get(label)), Is.EqualTo(Hex(left.Get(label))), label);
    }

    /// <summary>
    /// PSK: the HASH payload is HASH_I/HASH_R. Signatures: the SIG payload is the RSA signature
    /// (PKCS#1 v1.5 without DigestInfo, as IKEv1 signs) of HASH_I/HASH_R under the key of the
    /// certificate in the CERT payload.
    /// </summary>
    private static void CheckAuthentication(List<ChainPayload> payloads, byte[] ourHash, bool signatures, string what)
    {
        if (!signatures)
        {
            Assert.That(Hex(IsakmpChain.Single(payloads, IsakmpChain.Hash).Body), Is.EqualTo(Hex(ourHash)), $"HASH vs {what}");
            return;
        }
        var cert = IsakmpChain.Single(payloads, Cert).Body;
        Assert.That(cert[0], Is.EqualTo(4), "X.509 signature certificate encoding");
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(cert.AsSpan(1));
        using var rsa = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPublicKey(certificate)!;
        var key = rsa.ExportParameters(false);
        var n = new System.Numerics.BigInteger(key.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new System.Numerics.BigInteger(key.Exponent, isUnsigned: true, isBigEndian: true);
        var signature = IsakmpChain.Single(payloads, Signature).Body;
        var encoded = System.Numerics.BigInteger.ModPow(new System.Numerics.BigInteger(signature, true, true), e, n)
            .ToByteArray(isUnsigned: true, isBigEndian: true);
        // EM = 00 01 FF..FF 00 HASH; the leading 00 is dropped by the integer conversion
        var expected = new byte[key.Modulus!.Length - 1];
        expected[0] = 1;
        expected.AsSpan(1, expected.Length - 2 - ourHash.Length).Fill(0xFF);
        ourHash.CopyTo(expected, expected.Length - ourHash.Length);
        Assert.That(Hex(encoded), Is.EqualTo(Hex(expected)), $"RSA signature over our hash in {what}");
    }

    private static List<ChainPayload> Decrypt(IkeCipher cipher, byte[] iv, byte[] message, int blockSize)
        => DecryptWithPlaintext(cipher, iv, message, blockSize).Payloads;

    /// <summary>
    /// Decrypts an encrypted message body with the chained IV (updated in place) and checks what a
    /// parser needs: a well-formed payload chain starting at the header's next payload that ends
    /// inside the last block, followed only by padding.
    /// </summary>
    private static (List<ChainPayload> Payloads, byte[] Plaintext, int ChainLength) DecryptWithPlaintext(
        IkeCipher cipher, byte[] iv, byte[] message, int blockSize)
    {
        Assert.That(IsakmpChain.IsEncrypted(message), Is.True, "E flag");
        Assert.That((int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(24)), Is.EqualTo(message.Length), "header length");
        var body = message[IsakmpChain.HeaderLength..];
        var plaintext = new byte[body.Length];
        cipher.Decrypt(iv, body, plaintext);
        var (payloads, length) = IsakmpChain.Walk(IsakmpChain.FirstPayload(message), plaintext);
        Assert.That(payloads, Is.Not.Empty);
        // and the project's wire codec parses every payload of it
        var parsed = KernelIpsec.Ike.Wire.PayloadChain.Read(plaintext, (KernelIpsec.Ike.Wire.PayloadType)IsakmpChain.FirstPayload(message), padded: true);
        Assert.That(parsed.IsOk, Is.True, () => $"Ike.Wire refused the decrypted chain: {parsed}");
        Assert.That(parsed.Value.Count, Is.EqualTo(payloads.Count), "payloads parsed by Ike.Wire");
        Assert.That(parsed.Value.PaddingLength, Is.EqualTo(plaintext.Length - length), "padding seen by Ike.Wire");
        // charon always pads, with 1..block-size zero bytes (a whole block when the chain is aligned)
        Assert.That(plaintext.Length - length, Is.InRange(1, blockSize), "padding after the payload chain");
        Assert.That(plaintext.AsSpan(length).IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "padding bytes");
        return (payloads, plaintext, length);
    }

    private static string CaptureDirectory(string variant)
    {
        const string relative = "tests/KernelIpsec.Tests/Ike/Crypto/CharonCapture/captures";
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative, variant);
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"{relative}/{variant} not found above {TestContext.CurrentContext.TestDirectory}");
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
