using System.Buffers.Binary;
using System.Net;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>
/// <c>struct ph1dump</c> (304 bytes on x86_64): cookies (16), status @16, side @20, remote @24, local @152,
/// version @280, exchange type @281, created (time_t) @288, phase 2 count @296.
/// </summary>
internal sealed record Ph1Dump(ulong InitiatorCookie, ulong ResponderCookie, int Status, int Side, IPEndPoint Remote, IPEndPoint Local,
    byte Version, byte ExchangeType, long Created, int Phase2Count)
{
    public const int Size = 304;

    /// <summary>racoon's PHASE1ST_ESTABLISHED.</summary>
    public const int StatusEstablished = 9;

    /// <summary>racoon's PHASE1ST_MSG1SENT: what a negotiation in progress shows as here.</summary>
    public const int StatusNegotiating = 3;

    public const byte ExchangeMain = 2;
    public const byte ExchangeAggressive = 4;

    public const int SideInitiator = 0;
    public const int SideResponder = 1;

    /// <summary>ISAKMP version 1.0 as the header's version byte.</summary>
    public const byte IsakmpVersion = 0x10;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination, InitiatorCookie);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ResponderCookie);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], Status);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], Side);
        SocketAddressCodec.Write(destination[24..], Remote);
        SocketAddressCodec.Write(destination[152..], Local);
        destination[280] = Version;
        destination[281] = ExchangeType;
        BinaryPrimitives.WriteInt64LittleEndian(destination[288..], Created);
        BinaryPrimitives.WriteInt32LittleEndian(destination[296..], Phase2Count);
    }

    public static Ph1Dump Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64BigEndian(source),
        BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[16..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[20..]),
        SocketAddressCodec.Read(source[24..]) ?? new IPEndPoint(IPAddress.Any, 0),
        SocketAddressCodec.Read(source[152..]) ?? new IPEndPoint(IPAddress.Any, 0),
        source[280],
        source[281],
        BinaryPrimitives.ReadInt64LittleEndian(source[288..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[296..]));

    public static byte[] WriteAll(IReadOnlyList<Ph1Dump> dumps)
    {
        var buffer = new byte[dumps.Count * Size];
        for (var i = 0; i < dumps.Count; i++)
            dumps[i].Write(buffer.AsSpan(i * Size));
        return buffer;
    }

    public static IReadOnlyList<Ph1Dump> ReadAll(ReadOnlySpan<byte> payload)
    {
        if (payload.Length % Size != 0)
            throw new FormatException($"show-sa isakmp reply of {payload.Length} bytes is not a multiple of {Size}");
        var list = new List<Ph1Dump>();
        for (var offset = 0; offset < payload.Length; offset += Size)
            list.Add(Read(payload[offset..]));
        return list;
    }
}
