using System.Buffers;
using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>A payload of a chain and where its bytes (generic header included) were.</summary>
public readonly record struct ParsedPayload(Payload Payload, int Offset, int Length)
{
    /// <summary>The payload's body bytes within the chain's source (for HASH_I's SAi_b, IDii_b).</summary>
    public Range Body => new(Offset + Payload.GenericHeaderSize, Offset + Length);
}

/// <summary>
/// The chain of payloads after an ISAKMP header (RFC 2408 §3.2): each generic header names
/// the type of the next payload, the header's Next Payload names the first. Reading checks
/// every length against the bytes there, knows every payload type of this codec, and parses
/// each body; private-use types (128-255) it does not know are kept as <see cref="UnknownPayload"/>.
/// <see cref="Split"/> walks the same headers without parsing the bodies, for the exchanges, which parse each payload
/// with the reader they expect and need the bytes too (HASH_I's "_b", quick mode's HASH).
/// </summary>
public sealed class PayloadChain
{
    private readonly ParsedPayload[] entries;

    private PayloadChain(ParsedPayload[] entries, int end, int paddingLength)
    {
        this.entries = entries;
        End = end;
        PaddingLength = paddingLength;
    }

    public int Count => entries.Length;

    public ParsedPayload this[int index] => entries[index];

    public ReadOnlySpan<ParsedPayload> Entries => entries;

    /// <summary>Offset just after the last payload.</summary>
    public int End { get; }

    /// <summary>Bytes after the last payload (the cipher's padding of a decrypted body).</summary>
    public int PaddingLength { get; }

    /// <summary>The first payload of a type, or null.</summary>
    public T? Find<T>() where T : Payload
    {
        foreach (var entry in entries)
        {
            if (entry.Payload is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Every payload of a type, in order (several VIDs, NAT-Ds, CERTs, notifies).</summary>
    public List<T> FindAll<T>() where T : Payload
    {
        var found = new List<T>();
        foreach (var entry in entries)
        {
            if (entry.Payload is T payload)
            {
                found.Add(payload);
            }
        }

        return found;
    }

    /// <summary>The index of the first payload of a type, or -1.</summary>
    public int IndexOf(PayloadType type)
    {
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].Payload.Type == type)
            {
                return i;
            }
        }

        return -1;
    }

    public int CountOf(PayloadType type)
    {
        int count = 0;
        foreach (var entry in entries)
        {
            if (entry.Payload.Type == type)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Reads the chain in <paramref name="source"/> starting with a payload of type
    /// <paramref name="first"/>. With <paramref name="padded"/> (a decrypted body, RFC 2409
    /// appendix B) bytes after the last payload are padding; otherwise they are an error.
    /// </summary>
    public static WireResult<PayloadChain> Read(ReadOnlySpan<byte> source, PayloadType first, bool padded = false)
    {
        // First pass: walk the generic headers, so the entry array is allocated once.
        int count = 0;
        int offset = 0;
        var type = first;
        while (type != PayloadType.None)
        {
            if (!IsTopLevel(type))
            {
                return new WireError(NotifyType.InvalidPayloadType, $"payload {count + 1} at offset {offset}: invalid payload type {(byte)type}");
            }

            if (!GenericHeader.TryRead(source, offset, $"payload {count + 1} ({type}) at offset {offset}", out type, out int length, out var error))
            {
                return error;
            }

            offset += length;
            count++;
        }

        int end = offset;
        if (end != source.Length && !padded)
        {
            return new WireError(NotifyType.UnequalPayloadLengths, $"{source.Length - end} bytes after the last payload (ends at offset {end})");
        }

        var entries = new ParsedPayload[count];
        offset = 0;
        type = first;
        for (int i = 0; i < count; i++)
        {
            var next = (PayloadType)source[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(source[(offset + 2)..]);
            var payload = ReadPayload(type, source.Slice(offset + Payload.GenericHeaderSize, length - Payload.GenericHeaderSize));
            if (!payload.TryGetValue(out var value, out var error))
            {
                return error.Within($"payload {i + 1} at offset {offset}");
            }

            entries[i] = new ParsedPayload(value, offset, length);
            offset += length;
            type = next;
        }

        return WireResult<PayloadChain>.Ok(new PayloadChain(entries, end, source.Length - end));
    }

    /// <summary>Refuse absurd chains before touching them (racoon has no such limit; a datagram cannot hold more).</summary>
    public const int MaxRawPayloads = 64;

    /// <summary>
    /// Splits the chain starting with a payload of type <paramref name="first"/> into raw payloads, bodies unparsed.
    /// Reading stops at Next Payload 0; what follows (CBC padding of an encrypted message) is ignored.
    /// </summary>
    public static WireResult<List<RawPayload>> Split(ReadOnlySpan<byte> source, PayloadType first)
    {
        var payloads = new List<RawPayload>();
        var type = first;
        var offset = 0;
        while (type != PayloadType.None)
        {
            if (payloads.Count == MaxRawPayloads)
            {
                return WireError.Malformed($"more than {MaxRawPayloads} payloads in one message");
            }
            if (!GenericHeader.TryRead(source, offset, $"{type} payload at offset {offset}", out var next, out var length, out var error))
            {
                return error;
            }
            var whole = source.Slice(offset, length).ToArray();
            payloads.Add(new RawPayload(type, whole[Payload.GenericHeaderSize..], whole));
            type = next;
            offset += length;
        }
        return WireResult<List<RawPayload>>.Ok(payloads);
    }

    /// <summary>Parses one payload body of a given type.</summary>
    public static WireResult<Payload> ReadPayload(PayloadType type, ReadOnlySpan<byte> body) => type switch
    {
        PayloadType.SecurityAssociation => Up(SecurityAssociationPayload.Read(body)),
        PayloadType.KeyExchange => Up(KeyExchangePayload.Read(body)),
        PayloadType.Identification => Up(IdentificationPayload.Read(body)),
        PayloadType.Certificate => Up(CertificatePayload.Read(body)),
        PayloadType.CertificateRequest => Up(CertificateRequestPayload.Read(body)),
        PayloadType.Hash => Up(HashPayload.Read(body)),
        PayloadType.Signature => Up(SignaturePayload.Read(body)),
        PayloadType.Nonce => Up(NoncePayload.Read(body)),
        PayloadType.Notification => Up(NotificationPayload.Read(body)),
        PayloadType.Delete => Up(DeletePayload.Read(body)),
        PayloadType.VendorId => Up(VendorIdPayload.Read(body)),
        PayloadType.Attribute => Up(AttributePayload.Read(body)),
        PayloadType.NatDiscovery => Up(NatDiscoveryPayload.Read(body)),
        PayloadType.NatDiscoveryDraft => Up(NatDiscoveryPayload.Read(body, draft: true)),
        PayloadType.NatOriginalAddress => Up(NatOriginalAddressPayload.Read(body)),
        PayloadType.NatOriginalAddressDraft => Up(NatOriginalAddressPayload.Read(body, draft: true)),
        PayloadType.Fragment => Up(FragmentPayload.Read(body)),
        _ when (byte)type >= 128 => WireResult<Payload>.Ok(new UnknownPayload(type, body.ToArray())),
        _ => new WireError(NotifyType.InvalidPayloadType, $"invalid payload type {(byte)type}"),
    };

    /// <summary>Types that may appear in a message's chain: known ones (not Proposal/Transform) and the private-use range.</summary>
    public static bool IsTopLevel(PayloadType type) => type switch
    {
        PayloadType.SecurityAssociation or PayloadType.KeyExchange or PayloadType.Identification
            or PayloadType.Certificate or PayloadType.CertificateRequest or PayloadType.Hash
            or PayloadType.Signature or PayloadType.Nonce or PayloadType.Notification or PayloadType.Delete
            or PayloadType.VendorId or PayloadType.Attribute or PayloadType.NatDiscovery
            or PayloadType.NatOriginalAddress => true,
        _ => (byte)type >= 128,
    };

    /// <summary>Bytes of the chain of these payloads.</summary>
    public static int GetLength(ReadOnlySpan<Payload> payloads)
    {
        int total = 0;
        foreach (var payload in payloads)
        {
            total += payload.Length;
        }

        return total;
    }

    /// <summary>Writes the chain (each generic header naming the next payload's type); returns the bytes written.</summary>
    public static int Write(Span<byte> destination, params ReadOnlySpan<Payload> payloads)
    {
        int offset = 0;
        for (int i = 0; i < payloads.Length; i++)
        {
            var next = i + 1 < payloads.Length ? payloads[i + 1].Type : PayloadType.None;
            offset += payloads[i].Write(destination[offset..], next);
        }

        return offset;
    }

    public static int Write(IBufferWriter<byte> writer, params ReadOnlySpan<Payload> payloads)
    {
        int length = GetLength(payloads);
        int written = Write(writer.GetSpan(length), payloads);
        writer.Advance(written);
        return written;
    }

    /// <summary>The chain as a new array (the plaintext to encrypt, or the bytes a quick mode HASH covers).</summary>
    public static byte[] ToArray(params ReadOnlySpan<Payload> payloads)
    {
        byte[] bytes = new byte[GetLength(payloads)];
        Write(bytes, payloads);
        return bytes;
    }

    private static WireResult<Payload> Up<T>(WireResult<T> result) where T : Payload =>
        result.TryGetValue(out var value, out var error) ? WireResult<Payload>.Ok(value) : error;
}
