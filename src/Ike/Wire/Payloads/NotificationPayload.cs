using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Notification payload (RFC 2408 §3.14).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !              Domain of Interpretation  (DOI)                  !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                Security Parameter Index (SPI)                 ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       Notification Data                       ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// DPD (RFC 3706 §5): protocol ISAKMP, SPI = the 16-byte cookie pair, data = a 32-bit
/// sequence number. INITIAL-CONTACT (RFC 2407 §4.6.3.3): SPI = the cookie pair, no data.
/// RESPONDER-LIFETIME (§4.6.3.1): the phase 2 SPI, data = lifetime attributes.
/// </summary>
public sealed record NotificationPayload(Doi Doi, ProtocolId Protocol, NotifyType NotifyType, byte[] Spi, byte[] Data) : Payload
{
    public override PayloadType Type => PayloadType.Notification;

    public override int BodyLength => 8 + Spi.Length + Data.Length;

    public override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Doi);
        destination[4] = (byte)Protocol;
        destination[5] = checked((byte)Spi.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)NotifyType);
        Spi.CopyTo(destination[8..]);
        Data.CopyTo(destination[(8 + Spi.Length)..]);
    }

    public static WireResult<NotificationPayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            return WireError.Malformed($"Notification payload: body of {body.Length} bytes, shorter than the 8 fixed bytes");
        }

        uint doi = BinaryPrimitives.ReadUInt32BigEndian(body);
        if (doi > (uint)Doi.Ipsec)
        {
            return new WireError(NotifyType.DoiNotSupported, $"Notification payload: DOI {doi}, expected 0 or 1");
        }

        int spiSize = body[5];
        if (8 + spiSize > body.Length)
        {
            return WireError.Malformed($"Notification payload: SPI size {spiSize} exceeds payload");
        }

        var type = (NotifyType)BinaryPrimitives.ReadUInt16BigEndian(body[6..]);
        return WireResult<NotificationPayload>.Ok(new NotificationPayload((Doi)doi, (ProtocolId)body[4], type,
            body.Slice(8, spiSize).ToArray(), body[(8 + spiSize)..].ToArray()));
    }

    /// <summary>DPD R-U-THERE or R-U-THERE-ACK for an ISAKMP SA (RFC 3706 §5).</summary>
    public static NotificationPayload Dpd(bool acknowledge, ulong initiatorCookie, ulong responderCookie, uint sequence)
    {
        byte[] data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, sequence);
        return new NotificationPayload(Doi.Ipsec, ProtocolId.Isakmp, acknowledge ? NotifyType.RUThereAck : NotifyType.RUThere,
            CookiePair(initiatorCookie, responderCookie), data);
    }

    /// <summary>INITIAL-CONTACT in phase 1 (RFC 2407 §4.6.3.3).</summary>
    public static NotificationPayload InitialContact(ulong initiatorCookie, ulong responderCookie) =>
        new(Doi.Ipsec, ProtocolId.Isakmp, NotifyType.InitialContact, CookiePair(initiatorCookie, responderCookie), []);

    /// <summary>RESPONDER-LIFETIME for a phase 2 SA (RFC 2407 §4.6.3.1): the SPI and the lifetime attributes.</summary>
    public static NotificationPayload ResponderLifetime(ProtocolId protocol, uint spi, params DataAttribute[] lifetime)
    {
        byte[] spiBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(spiBytes, spi);
        byte[] data = new byte[DataAttribute.TotalLength(lifetime)];
        DataAttribute.WriteAll(lifetime, data);
        return new NotificationPayload(Doi.Ipsec, protocol, NotifyType.ResponderLifetime, spiBytes, data);
    }

    /// <summary>The DPD sequence number (RFC 3706 §5: the notification data is 4 bytes).</summary>
    public bool TryGetDpdSequence(out uint sequence)
    {
        sequence = 0;
        if (NotifyType is not (NotifyType.RUThere or NotifyType.RUThereAck) || Data.Length != 4)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadUInt32BigEndian(Data);
        return true;
    }

    /// <summary>The cookie pair of an ISAKMP-protocol notify with a 16-byte SPI.</summary>
    public bool TryGetCookies(out ulong initiatorCookie, out ulong responderCookie)
    {
        initiatorCookie = responderCookie = 0;
        if (Spi.Length != 16)
        {
            return false;
        }

        initiatorCookie = BinaryPrimitives.ReadUInt64BigEndian(Spi);
        responderCookie = BinaryPrimitives.ReadUInt64BigEndian(Spi.AsSpan(8));
        return true;
    }

    /// <summary>The attributes of RESPONDER-LIFETIME (or any notify carrying attributes).</summary>
    public WireResult<DataAttribute[]> ReadAttributes() => DataAttribute.ReadAll(Data, "Notification payload data");

    internal static byte[] CookiePair(ulong initiatorCookie, ulong responderCookie)
    {
        byte[] spi = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(spi, initiatorCookie);
        BinaryPrimitives.WriteUInt64BigEndian(spi.AsSpan(8), responderCookie);
        return spi;
    }

    public override string ToString() =>
        $"N {NotifyNames.Name(NotifyType)} {Protocol} spi=0x{Convert.ToHexStringLower(Spi)} data=0x{Convert.ToHexStringLower(Data)}";
}
