using KernelIpsec.Ike.Crypto.Ciphers;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.Messages;

/// <summary>
/// Builds and opens ISAKMP messages (RFC 2408 3.1, RFC 2409 5.3): the payload chain after the header is
/// CBC-encrypted once the keys exist, padded with zeros to the block size, and the header's length covers
/// the padding. Opening never touches the caller's IV: it returns the next IV so the exchange can adopt it
/// only once the message proved authentic.
/// </summary>
internal static class MessageCrypto
{
    public static byte[] Plain(IsakmpHeader header, IReadOnlyList<Payload> payloads)
    {
        var chain = PayloadChain.ToArray([.. payloads]);
        var datagram = new byte[IsakmpHeader.Size + chain.Length];
        (header with { NextPayload = payloads.Count > 0 ? payloads[0].Type : PayloadType.None, Length = (uint)datagram.Length })
            .Write(datagram);
        chain.CopyTo(datagram, IsakmpHeader.Size);
        return datagram;
    }

    /// <summary>Encrypts the chain with <paramref name="iv"/>, which is left holding the last ciphertext block.</summary>
    public static byte[] Encrypted(IsakmpHeader header, PayloadType first, byte[] chain, IkeCipher cipher, byte[] iv)
    {
        var block = cipher.BlockSize;
        var padded = (chain.Length + block - 1) / block * block;
        if (padded == 0)
        {
            padded = block;
        }
        var datagram = new byte[IsakmpHeader.Size + padded];
        (header with { NextPayload = first, Flags = header.Flags | IsakmpFlags.Encryption, Length = (uint)datagram.Length }).Write(datagram);
        chain.CopyTo(datagram, IsakmpHeader.Size);
        var body = datagram.AsSpan(IsakmpHeader.Size);
        cipher.Encrypt(iv, body, body);
        return datagram;
    }

    public static byte[] Encrypted(IsakmpHeader header, IReadOnlyList<Payload> payloads, IkeCipher cipher, byte[] iv) =>
        Encrypted(header, payloads[0].Type, PayloadChain.ToArray([.. payloads]), cipher, iv);

    /// <summary>The plaintext chain of an encrypted message and the IV that follows it; throws a non-fatal failure.</summary>
    public static (byte[] Plaintext, byte[] NextIv) Decrypt(IsakmpHeader header, ReadOnlySpan<byte> datagram, IkeCipher cipher, ReadOnlySpan<byte> iv)
    {
        var body = datagram[IsakmpHeader.Size..(int)header.Length];
        if (body.Length == 0 || body.Length % cipher.BlockSize != 0)
        {
            throw ExchangeException.Drop($"encrypted body of {body.Length} bytes is not a multiple of the {cipher.BlockSize}-byte block", NotifyType.PayloadMalformed);
        }
        var nextIv = iv.ToArray();
        var plaintext = new byte[body.Length];
        cipher.Decrypt(nextIv, body, plaintext);
        return (plaintext, nextIv);
    }

    /// <summary>Reads header, length and chain of a cleartext or already decrypted message.</summary>
    public static InboundMessage Open(IsakmpHeader header, byte[] datagram, ReadOnlySpan<byte> chain)
    {
        var payloads = PayloadChain.Split(chain, header.NextPayload);
        if (!payloads.TryGetValue(out var list, out var error))
        {
            throw ExchangeException.From(error, $"{header.Exchange} message");
        }
        return new InboundMessage(header, list, datagram);
    }
}
