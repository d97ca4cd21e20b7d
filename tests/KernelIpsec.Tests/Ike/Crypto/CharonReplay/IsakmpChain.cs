using System.Buffers.Binary;

namespace KernelIpsec.Tests.Ike.Crypto.CharonReplay;

/// <summary>One payload of a chain: its type, its whole bytes (generic header included) and its body.</summary>
internal sealed record ChainPayload(byte Type, int Offset, byte[] Whole)
{
    public byte[] Body => Whole[4..];
}

/// <summary>
/// Just enough ISAKMP structure to check what we decrypted (the wire codec lives elsewhere):
/// the 28-byte header and the generic payload headers (next payload, RESERVED = 0, length).
/// </summary>
internal static class IsakmpChain
{
    public const int HeaderLength = 28;

    public const byte Sa = 1, KeyExchange = 4, Id = 5, Hash = 8, Nonce = 10, Notify = 11, VendorId = 13, NatD = 20;

    public static byte FirstPayload(byte[] message) => message[16];

    public static byte ExchangeType(byte[] message) => message[18];

    public static bool IsEncrypted(byte[] message) => (message[19] & 0x01) != 0;

    public static uint MessageId(byte[] message) => BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(20));

    public static byte[] CookieI(byte[] message) => message[..8];

    public static byte[] CookieR(byte[] message) => message[8..16];

    /// <summary>
    /// Walks the chain that starts with <paramref name="firstType"/>; throws if a header is malformed
    /// or the chain does not fit. Returns the payloads and the number of bytes the chain covers.
    /// </summary>
    public static (List<ChainPayload> Payloads, int Length) Walk(byte firstType, ReadOnlySpan<byte> data)
    {
        var payloads = new List<ChainPayload>();
        byte type = firstType;
        int offset = 0;
        while (type != 0)
        {
            if (offset + 4 > data.Length)
                throw new InvalidDataException($"payload {type} header at {offset} runs past the end ({data.Length})");
            byte next = data[offset];
            if (data[offset + 1] != 0)
                throw new InvalidDataException($"payload {type} at {offset}: RESERVED is {data[offset + 1]}");
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            if (length < 4 || offset + length > data.Length)
                throw new InvalidDataException($"payload {type} at {offset}: length {length} does not fit {data.Length - offset}");
            payloads.Add(new ChainPayload(type, offset, data.Slice(offset, length).ToArray()));
            offset += length;
            type = next;
        }
        return (payloads, offset);
    }

    public static (List<ChainPayload> Payloads, int Length) WalkPlain(byte[] message)
    {
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(24));
        if (length != message.Length)
            throw new InvalidDataException($"header length {length}, datagram {message.Length}");
        return Walk(FirstPayload(message), message.AsSpan(HeaderLength));
    }

    public static ChainPayload Single(List<ChainPayload> payloads, byte type)
        => payloads.Single(p => p.Type == type);

    /// <summary>The SPI of the first proposal in an SA payload body (DOI, situation, then the proposal).</summary>
    public static uint FirstProposalSpi(byte[] saBody, out byte protocol)
    {
        var proposal = saBody.AsSpan(8);
        protocol = proposal[5];
        int spiSize = proposal[6];
        if (spiSize != 4)
            throw new InvalidDataException($"proposal SPI size {spiSize}");
        return BinaryPrimitives.ReadUInt32BigEndian(proposal[8..]);
    }
}
