using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Delete payload (RFC 2408 §3.15): one protocol, several SPIs of one size. For ISAKMP
/// the SPI is the 16-byte cookie pair; for AH/ESP 4 bytes; for IPComp a 2-byte CPI (or 4).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !              Domain of Interpretation  (DOI)                  !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !  Protocol-Id  !   SPI Size    !           # of SPIs           !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~               Security Parameter Index(es) (SPI)              ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record DeletePayload(Doi Doi, ProtocolId Protocol, int SpiSize, byte[][] Spis) : Payload
{
    public override PayloadType Type => PayloadType.Delete;

    public override int BodyLength => 8 + SpiSize * Spis.Length;

    public override void WriteBody(Span<byte> destination)
    {
        if (Spis.Length > ushort.MaxValue || SpiSize > byte.MaxValue)
        {
            throw new InvalidOperationException($"Delete payload: {Spis.Length} SPIs of {SpiSize} bytes do not fit the counts");
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Doi);
        destination[4] = (byte)Protocol;
        destination[5] = (byte)SpiSize;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)Spis.Length);
        int offset = 8;
        foreach (byte[] spi in Spis)
        {
            if (spi.Length != SpiSize)
            {
                throw new InvalidOperationException($"Delete payload: an SPI of {spi.Length} bytes in a list of {SpiSize}-byte SPIs");
            }

            spi.CopyTo(destination[offset..]);
            offset += SpiSize;
        }
    }

    public static WireResult<DeletePayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            return WireError.Malformed($"Delete payload: body of {body.Length} bytes, shorter than the 8 fixed bytes");
        }

        uint doi = BinaryPrimitives.ReadUInt32BigEndian(body);
        if (doi > (uint)Doi.Ipsec)
        {
            return new WireError(NotifyType.DoiNotSupported, $"Delete payload: DOI {doi}, expected 0 or 1");
        }

        var protocol = (ProtocolId)body[4];
        int spiSize = body[5];
        int count = BinaryPrimitives.ReadUInt16BigEndian(body[6..]);
        bool spiOk = protocol switch
        {
            ProtocolId.Isakmp => spiSize == 16,
            ProtocolId.IpsecAh or ProtocolId.IpsecEsp => spiSize == 4,
            ProtocolId.IpComp => spiSize is 2 or 4,
            _ => false,
        };
        if (protocol is < ProtocolId.Isakmp or > ProtocolId.IpComp)
        {
            return new WireError(NotifyType.InvalidProtocolId, $"Delete payload: unknown protocol ID {(byte)protocol}");
        }

        if (!spiOk)
        {
            return new WireError(NotifyType.InvalidSpi, $"Delete payload: SPI size {spiSize} is invalid for {protocol}");
        }

        if (count == 0 || 8 + count * spiSize != body.Length)
        {
            return WireError.Malformed($"Delete payload: {count} SPIs of {spiSize} bytes do not fill the {body.Length - 8} bytes after the fixed part");
        }

        var spis = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            spis[i] = body.Slice(8 + i * spiSize, spiSize).ToArray();
        }

        return WireResult<DeletePayload>.Ok(new DeletePayload((Doi)doi, protocol, spiSize, spis));
    }

    /// <summary>Delete for AH/ESP SAs (4-byte SPIs).</summary>
    public static DeletePayload ForIpsec(ProtocolId protocol, params uint[] spis)
    {
        var list = new byte[spis.Length][];
        for (int i = 0; i < spis.Length; i++)
        {
            list[i] = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(list[i], spis[i]);
        }

        return new DeletePayload(Doi.Ipsec, protocol, 4, list);
    }

    /// <summary>Delete for an ISAKMP SA (the SPI is the cookie pair).</summary>
    public static DeletePayload ForIsakmp(ulong initiatorCookie, ulong responderCookie) =>
        new(Doi.Ipsec, ProtocolId.Isakmp, 16, [NotificationPayload.CookiePair(initiatorCookie, responderCookie)]);

    /// <summary>The i-th SPI as a number (4-byte SPIs).</summary>
    public uint GetSpi32(int index) => SpiSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(Spis[index])
        : throw new InvalidOperationException($"Delete payload has {SpiSize}-byte SPIs");

    public override string ToString() => $"D {Protocol} {Spis.Length} SPI(s) of {SpiSize} bytes";
}
