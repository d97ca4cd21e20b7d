namespace KernelIpsec.Ike.Wire;

/// <summary>
/// A Proposal payload (RFC 2408 §3.5), nested in an SA payload, holding its Transforms.
/// Proposals with the same number form one AND-bundle (e.g. AH + ESP).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !                        SPI (variable)                         !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record Proposal(byte Number, ProtocolId Protocol, byte[] Spi, Transform[] Transforms)
{
    public int BodyLength
    {
        get
        {
            int length = 4 + Spi.Length;
            foreach (var transform in Transforms)
            {
                length += Payload.GenericHeaderSize + transform.BodyLength;
            }

            return length;
        }
    }

    public void WriteBody(Span<byte> destination)
    {
        if (Transforms.Length > byte.MaxValue || Spi.Length > byte.MaxValue)
        {
            throw new InvalidOperationException($"proposal #{Number}: {Transforms.Length} transforms / SPI of {Spi.Length} bytes do not fit one byte");
        }

        destination[0] = Number;
        destination[1] = (byte)Protocol;
        destination[2] = (byte)Spi.Length;
        destination[3] = (byte)Transforms.Length;
        Spi.CopyTo(destination[4..]);
        int offset = 4 + Spi.Length;
        for (int i = 0; i < Transforms.Length; i++)
        {
            int length = Payload.GenericHeaderSize + Transforms[i].BodyLength;
            Payload.WriteGenericHeader(destination[offset..], i + 1 < Transforms.Length ? PayloadType.Transform : PayloadType.None, length);
            Transforms[i].WriteBody(destination.Slice(offset + Payload.GenericHeaderSize, length - Payload.GenericHeaderSize));
            offset += length;
        }
    }

    /// <summary>The SPI as a 32-bit number (ESP/AH proposals carry 4-byte SPIs, RFC 2407 §4.4.1).</summary>
    public uint Spi32 => Spi.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Spi)
        : throw new InvalidOperationException($"proposal #{Number} has a {Spi.Length}-byte SPI");

    public static WireResult<Proposal> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            return WireError.Malformed($"Proposal payload: body of {body.Length} bytes, shorter than the 4 fixed bytes");
        }

        byte number = body[0];
        var protocol = (ProtocolId)body[1];
        int spiSize = body[2];
        int declared = body[3];

        if (protocol is < ProtocolId.Isakmp or > ProtocolId.IpComp)
        {
            return new WireError(NotifyType.InvalidProtocolId, $"Proposal payload #{number}: unknown protocol ID {(byte)protocol}");
        }

        // RFC 2407 §4.4.1: AH and ESP SPIs are 4 bytes; an IPComp CPI is 2 (or 4, as some
        // implementations send it); ISAKMP's SPI is the cookie pair or nothing (RFC 2409 §5).
        bool spiOk = protocol switch
        {
            ProtocolId.IpsecAh or ProtocolId.IpsecEsp => spiSize == 4,
            ProtocolId.IpComp => spiSize is 2 or 4,
            _ => spiSize is 0 or 8 or 16,
        };
        if (!spiOk)
        {
            return new WireError(NotifyType.InvalidSpi, $"Proposal payload #{number}: SPI size {spiSize} is invalid for {protocol}");
        }

        if (4 + spiSize > body.Length)
        {
            return WireError.Malformed($"Proposal payload #{number}: SPI size {spiSize} exceeds payload");
        }

        if (declared == 0)
        {
            return new WireError(NotifyType.BadProposalSyntax, $"Proposal payload #{number}: no transforms");
        }

        var transforms = new Transform[declared];
        int offset = 4 + spiSize;
        int count = 0;
        var next = PayloadType.Transform;
        while (next != PayloadType.None)
        {
            if (next != PayloadType.Transform)
            {
                return new WireError(NotifyType.BadProposalSyntax, $"Proposal payload #{number}: next payload {(byte)next} inside a proposal, expected Transform (3) or none");
            }

            if (count == declared)
            {
                return new WireError(NotifyType.BadProposalSyntax, $"Proposal payload #{number}: more transforms than the {declared} declared");
            }

            if (!GenericHeader.TryRead(body, offset, $"Proposal payload #{number}, transform {count + 1}", out next, out int length, out var headerError))
            {
                return headerError;
            }

            var transform = Transform.Read(body.Slice(offset + Payload.GenericHeaderSize, length - Payload.GenericHeaderSize));
            if (!transform.TryGetValue(out transforms[count], out var error))
            {
                return error.Within($"proposal #{number}, transform {count + 1}");
            }

            count++;
            offset += length;
        }

        if (count != declared)
        {
            return new WireError(NotifyType.BadProposalSyntax, $"Proposal payload #{number}: {count} transforms, {declared} declared");
        }

        if (offset != body.Length)
        {
            return WireError.Malformed($"Proposal payload #{number}: {body.Length - offset} bytes after the last transform");
        }

        return WireResult<Proposal>.Ok(new Proposal(number, protocol, body.Slice(4, spiSize).ToArray(), transforms));
    }

    public override string ToString() => $"Proposal #{Number} {Protocol} spi=0x{Convert.ToHexStringLower(Spi)} [{string.Join<Transform>("; ", Transforms)}]";
}
