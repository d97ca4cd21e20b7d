using System.Buffers.Binary;
using System.Security.Cryptography;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Tests.Ike.Wire.Vectors;

/// <summary>
/// Decrypts a <see cref="CharonEncrypted.Negotiation"/> with .NET's CBC ciphers, chaining IVs
/// as RFC 2409 appendix B says: phase 1 from the initial IV through each message's last
/// ciphertext block; each phase 2 / informational exchange from SHA-1(last phase 1 block |
/// message ID) (both captured negotiations use SHA-1), then through its own messages.
/// Test-only: the product's cipher code belongs to Ike.Crypto.
/// </summary>
internal static class CharonDecryption
{
    public sealed record Decrypted(int Index, char From, IsakmpMessage Message, byte[] Plaintext);

    public static List<Decrypted> Decrypt(CharonEncrypted.Negotiation negotiation)
    {
        using SymmetricAlgorithm cipher = negotiation.Cipher == "Aes" ? Aes.Create() : TripleDES.Create();
        cipher.Key = Convert.FromHexString(negotiation.KeyHex);
        int block = cipher.BlockSize / 8;
        byte[] phase1Iv = Convert.FromHexString(negotiation.InitialIvHex);
        var phase2Ivs = new Dictionary<uint, byte[]>();
        var result = new List<Decrypted>();
        for (int i = 0; i < negotiation.Datagrams.Length; i++)
        {
            var message = IsakmpMessage.Read(Convert.FromHexString(negotiation.Datagrams[i].Hex)).Value;
            if (!message.Header.IsEncrypted)
            {
                continue;
            }

            byte[] body = message.EncryptedBody!;
            uint id = message.Header.MessageId;
            byte[] iv;
            if (id == 0)
            {
                iv = phase1Iv;
            }
            else if (!phase2Ivs.TryGetValue(id, out iv!))
            {
                byte[] input = new byte[phase1Iv.Length + 4];
                phase1Iv.CopyTo(input, 0);
                BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(phase1Iv.Length), id);
                iv = SHA1.HashData(input)[..block];
            }

            byte[] plaintext = cipher.DecryptCbc(body, iv, PaddingMode.None);
            byte[] lastBlock = body[^block..];
            if (id == 0)
            {
                phase1Iv = lastBlock;
            }
            else
            {
                phase2Ivs[id] = lastBlock;
            }

            result.Add(new Decrypted(i + 1, negotiation.Datagrams[i].From, message, plaintext));
        }

        return result;
    }

    /// <summary>The decrypted messages as plain datagrams (E flag cleared, padding dropped): fuzzer seeds.</summary>
    public static IEnumerable<byte[]> AsPlainDatagrams()
    {
        foreach (var negotiation in new[] { CharonEncrypted.Psk3des, CharonEncrypted.TunnelAes128 })
        {
            foreach (var decrypted in Decrypt(negotiation))
            {
                var chain = decrypted.Message.ReadDecrypted(decrypted.Plaintext).Value;
                byte[] datagram = new byte[IsakmpHeader.Size + chain.End];
                (decrypted.Message.Header with
                {
                    Flags = decrypted.Message.Header.Flags & ~IsakmpFlags.Encryption,
                    Length = (uint)datagram.Length,
                }).Write(datagram);
                decrypted.Plaintext.AsSpan(0, chain.End).CopyTo(datagram.AsSpan(IsakmpHeader.Size));
                yield return datagram;
            }
        }
    }
}
