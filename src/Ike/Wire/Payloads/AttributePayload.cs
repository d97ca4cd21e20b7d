using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Attribute payload of mode-config and XAuth (draft-dukes-ike-mode-cfg-02 §3.2): a
/// message type, an identifier pairing requests and replies, and data attributes
/// (<see cref="ModeCfgAttributeType"/>).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !     Type      !   RESERVED    !           Identifier          !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                           Attributes                          ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record AttributePayload(ModeCfgMessageType MessageType, ushort Identifier, DataAttribute[] Attributes) : Payload
{
    public override PayloadType Type => PayloadType.Attribute;

    public override int BodyLength => 4 + DataAttribute.TotalLength(Attributes);

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)MessageType;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Identifier);
        DataAttribute.WriteAll(Attributes, destination[4..]);
    }

    public static WireResult<AttributePayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            return WireError.Malformed($"Attribute payload: body of {body.Length} bytes, shorter than the 4 fixed bytes");
        }

        var type = (ModeCfgMessageType)body[0];
        if (type is < ModeCfgMessageType.Request or > ModeCfgMessageType.Acknowledge)
        {
            return WireError.Malformed($"Attribute payload: message type {(byte)type}, expected 1 (REQUEST) to 4 (ACK)");
        }

        var attributes = DataAttribute.ReadAll(body[4..], "Attribute payload");
        if (!attributes.TryGetValue(out var list, out var error))
        {
            return error;
        }

        return WireResult<AttributePayload>.Ok(new AttributePayload(type, BinaryPrimitives.ReadUInt16BigEndian(body[2..]), list));
    }

    public bool TryGetAttribute(ModeCfgAttributeType type, out DataAttribute attribute)
    {
        foreach (var candidate in Attributes)
        {
            if (candidate.Type == (ushort)type)
            {
                attribute = candidate;
                return true;
            }
        }

        attribute = default;
        return false;
    }

    public override string ToString() => $"ATTR {MessageType} id={Identifier} [{string.Join(", ", Attributes)}]";
}
