using System.Buffers;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// A received ISAKMP message: the header and either the parsed payload chain (plain) or,
/// when the E flag is set, the raw encrypted body. The exchange layer decrypts that body
/// with the SA's cipher and IV and parses the plaintext with
/// <see cref="ReadDecrypted(ReadOnlySpan{byte})"/>, which accepts the cipher's padding.
/// </summary>
public sealed class IsakmpMessage
{
    private IsakmpMessage(IsakmpHeader header, PayloadChain? payloads, byte[]? encryptedBody, byte[] datagram)
    {
        Header = header;
        Payloads = payloads;
        EncryptedBody = encryptedBody;
        Datagram = datagram;
    }

    public IsakmpHeader Header { get; }

    /// <summary>A copy of the whole datagram as received (retransmission detection, the last cipher block as next IV).</summary>
    public byte[] Datagram { get; }

    /// <summary>The payloads of a plain message; null when <see cref="IsakmpHeader.IsEncrypted"/>.</summary>
    public PayloadChain? Payloads { get; }

    /// <summary>The bytes after the header of an encrypted message (a copy: receive buffers get reused).</summary>
    public byte[]? EncryptedBody { get; }

    /// <summary>
    /// Reads one datagram (without the non-ESP marker of port 4500). The header's length must
    /// equal the datagram's (RFC 2408 §5.2).
    /// </summary>
    public static WireResult<IsakmpMessage> Read(ReadOnlySpan<byte> datagram)
    {
        var header = IsakmpHeader.Read(datagram);
        if (!header.TryGetValue(out var h, out var error))
        {
            return error;
        }

        if (h.Length != (uint)datagram.Length)
        {
            return new WireError(NotifyType.UnequalPayloadLengths, $"ISAKMP header: length {h.Length}, datagram has {datagram.Length} bytes");
        }

        var body = datagram[IsakmpHeader.Size..];
        if (h.IsEncrypted)
        {
            if (body.IsEmpty)
            {
                return WireError.Malformed("ISAKMP message: E flag set but no encrypted body");
            }

            if (!PayloadChain.IsTopLevel(h.NextPayload))
            {
                return new WireError(NotifyType.InvalidPayloadType, $"ISAKMP header: invalid first payload type {(byte)h.NextPayload}");
            }

            return WireResult<IsakmpMessage>.Ok(new IsakmpMessage(h, null, body.ToArray(), datagram.ToArray()));
        }

        var chain = PayloadChain.Read(body, h.NextPayload);
        if (!chain.TryGetValue(out var payloads, out error))
        {
            return error;
        }

        return WireResult<IsakmpMessage>.Ok(new IsakmpMessage(h, payloads, null, datagram.ToArray()));
    }

    /// <summary>
    /// The body of a payload of this plain message exactly as received (RFC 2409 §5 hashes
    /// SAi_b and IDii_b as sent, reserved bytes included).
    /// </summary>
    public ReadOnlySpan<byte> RawBody(in ParsedPayload entry) =>
        Payloads is null ? throw new InvalidOperationException("an encrypted message: take the body from the decrypted plaintext")
            : Datagram.AsSpan(IsakmpHeader.Size)[entry.Body];

    /// <summary>Parses the decrypted body of this (encrypted) message; trailing bytes are padding.</summary>
    public WireResult<PayloadChain> ReadDecrypted(ReadOnlySpan<byte> plaintext) =>
        PayloadChain.Read(plaintext, Header.NextPayload, padded: true);

    /// <summary>
    /// Writes a plain message: the header (with Next Payload and Length computed from the
    /// payloads) and the chain. Returns the bytes written.
    /// </summary>
    public static int Write(IBufferWriter<byte> writer, IsakmpHeader header, params ReadOnlySpan<Payload> payloads)
    {
        if (header.IsEncrypted)
        {
            throw new ArgumentException("a plain message cannot carry the E flag; use WriteEncrypted", nameof(header));
        }

        int length = IsakmpHeader.Size + PayloadChain.GetLength(payloads);
        var destination = writer.GetSpan(length);
        var complete = header with
        {
            NextPayload = payloads.IsEmpty ? PayloadType.None : payloads[0].Type,
            Length = (uint)length,
        };
        complete.Write(destination);
        PayloadChain.Write(destination[IsakmpHeader.Size..], payloads);
        writer.Advance(length);
        return length;
    }

    /// <summary>
    /// Writes an encrypted message: the header with the E flag, <paramref name="firstPayload"/>
    /// as Next Payload and the length of the ciphertext, then the ciphertext.
    /// </summary>
    public static int WriteEncrypted(IBufferWriter<byte> writer, IsakmpHeader header, PayloadType firstPayload, ReadOnlySpan<byte> ciphertext)
    {
        int length = IsakmpHeader.Size + ciphertext.Length;
        var destination = writer.GetSpan(length);
        var complete = header with
        {
            NextPayload = firstPayload,
            Flags = header.Flags | IsakmpFlags.Encryption,
            Length = (uint)length,
        };
        complete.Write(destination);
        ciphertext.CopyTo(destination[IsakmpHeader.Size..]);
        writer.Advance(length);
        return length;
    }

    /// <summary>A plain message as a new array.</summary>
    public static byte[] ToArray(IsakmpHeader header, params ReadOnlySpan<Payload> payloads)
    {
        var writer = new ArrayBufferWriter<byte>(IsakmpHeader.Size + PayloadChain.GetLength(payloads));
        Write(writer, header, payloads);
        return writer.WrittenSpan.ToArray();
    }

    public override string ToString() => Payloads is null
        ? $"{Header} encrypted({EncryptedBody!.Length})"
        : $"{Header} [{Payloads.Count} payloads]";
}
