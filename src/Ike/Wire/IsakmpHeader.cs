using System.Buffers;
using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The ISAKMP header (RFC 2408 §3.1). Cookies are kept as big-endian 64-bit numbers: they are
/// opaque 8-byte values, and a number compares and hashes without allocating.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !                          Initiator                            !
/// !                            Cookie                             !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !                          Responder                            !
/// !                            Cookie                             !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !                          Message ID                           !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !                            Length                             !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct IsakmpHeader(
    ulong InitiatorCookie,
    ulong ResponderCookie,
    PayloadType NextPayload,
    ExchangeType Exchange,
    IsakmpFlags Flags,
    uint MessageId,
    uint Length)
{
    public const int Size = 28;

    /// <summary>ISAKMP version 1.0 (RFC 2408 §3.1: major 1, minor 0), as one byte.</summary>
    public const byte Version = 0x10;

    public bool IsEncrypted => (Flags & IsakmpFlags.Encryption) != 0;

    /// <summary>
    /// Reads and checks a header (RFC 2408 §5.2): version 1.0, a known exchange type, no
    /// undefined flags, a non-zero initiator cookie, the message ID rule of the exchange, and
    /// a length of at least the header. Whether the length matches the datagram is the
    /// message reader's check.
    /// </summary>
    public static WireResult<IsakmpHeader> Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            return WireError.Malformed($"ISAKMP header: {source.Length} bytes, shorter than the {Size}-byte header");
        }

        ulong icookie = BinaryPrimitives.ReadUInt64BigEndian(source);
        ulong rcookie = BinaryPrimitives.ReadUInt64BigEndian(source[8..]);
        var next = (PayloadType)source[16];
        byte version = source[17];
        var exchange = (ExchangeType)source[18];
        var flags = (IsakmpFlags)source[19];
        uint messageId = BinaryPrimitives.ReadUInt32BigEndian(source[20..]);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(source[24..]);

        if (version >> 4 != 1)
        {
            return new WireError(NotifyType.InvalidMajorVersion, $"ISAKMP header: major version {version >> 4}, expected 1");
        }

        if ((version & 0x0f) != 0)
        {
            return new WireError(NotifyType.InvalidMinorVersion, $"ISAKMP header: minor version {version & 0x0f}, expected 0");
        }

        if (!IsKnown(exchange))
        {
            return new WireError(NotifyType.InvalidExchangeType, $"ISAKMP header: unknown exchange type {(byte)exchange}");
        }

        if (((byte)flags & ~0x07) != 0)
        {
            return new WireError(NotifyType.InvalidFlags, $"ISAKMP header: undefined flag bits 0x{(byte)flags & ~0x07:x2}");
        }

        if (icookie == 0)
        {
            return new WireError(NotifyType.InvalidCookie, "ISAKMP header: initiator cookie is zero");
        }

        // RFC 2408 §3.1: phase 1 exchanges use message ID 0; RFC 2409 §5.5/§5.6: quick mode and
        // new group mode use a random non-zero one.
        if (messageId != 0 && exchange is ExchangeType.Base or ExchangeType.IdentityProtection
                or ExchangeType.AuthenticationOnly or ExchangeType.Aggressive)
        {
            return new WireError(NotifyType.InvalidMessageId, $"ISAKMP header: message ID 0x{messageId:x8} in a phase 1 exchange, expected 0");
        }

        if (messageId == 0 && exchange is ExchangeType.QuickMode or ExchangeType.NewGroupMode)
        {
            return new WireError(NotifyType.InvalidMessageId, $"ISAKMP header: message ID 0 in a {exchange} exchange");
        }

        if (length < Size)
        {
            return WireError.Malformed($"ISAKMP header: length {length} is shorter than the header");
        }

        return WireResult<IsakmpHeader>.Ok(new IsakmpHeader(icookie, rcookie, next, exchange, flags, messageId, length));
    }

    /// <summary>Writes the 28 header bytes exactly as given (version 1.0).</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"need {Size} bytes for the ISAKMP header", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, InitiatorCookie);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ResponderCookie);
        destination[16] = (byte)NextPayload;
        destination[17] = Version;
        destination[18] = (byte)Exchange;
        destination[19] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], Length);
    }

    public void Write(IBufferWriter<byte> writer)
    {
        Write(writer.GetSpan(Size));
        writer.Advance(Size);
    }

    public static bool IsKnown(ExchangeType exchange) => exchange is ExchangeType.Base or ExchangeType.IdentityProtection
        or ExchangeType.AuthenticationOnly or ExchangeType.Aggressive or ExchangeType.Informational
        or ExchangeType.Transaction or ExchangeType.QuickMode or ExchangeType.NewGroupMode
        or ExchangeType.AcknowledgedInformational;

    public override string ToString() =>
        $"{InitiatorCookie:x16}:{ResponderCookie:x16} {Exchange} next={NextPayload} flags={Flags} msgid={MessageId:x8} len={Length}";
}
