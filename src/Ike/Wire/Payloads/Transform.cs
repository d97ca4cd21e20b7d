using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// A Transform payload (RFC 2408 §3.6), nested in a Proposal. Its number space for
/// <see cref="TransformId"/> and the attribute types depends on the proposal's protocol
/// (<see cref="IsakmpTransformId"/> + <see cref="Phase1AttributeType"/> for ISAKMP,
/// <see cref="EspTransformId"/>/<see cref="AhTransformId"/>/<see cref="IpcompTransformId"/> +
/// <see cref="IpsecAttributeType"/> for IPsec).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !  Transform #  !  Transform-Id !           RESERVED2           !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                        SA Attributes                          ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record Transform(byte Number, byte TransformId, DataAttribute[] Attributes)
{
    public int BodyLength => 4 + DataAttribute.TotalLength(Attributes);

    public void WriteBody(Span<byte> destination)
    {
        destination[0] = Number;
        destination[1] = TransformId;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        DataAttribute.WriteAll(Attributes, destination[4..]);
    }

    public static WireResult<Transform> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            return WireError.Malformed($"Transform payload: body of {body.Length} bytes, shorter than the 4 fixed bytes");
        }

        var attributes = DataAttribute.ReadAll(body[4..], "Transform payload");
        if (!attributes.TryGetValue(out var list, out var error))
        {
            return error;
        }

        return WireResult<Transform>.Ok(new Transform(body[0], body[1], list));
    }

    /// <summary>The first attribute of a type, if present.</summary>
    public bool TryGetAttribute(ushort type, out DataAttribute attribute)
    {
        foreach (var candidate in Attributes)
        {
            if (candidate.Type == type)
            {
                attribute = candidate;
                return true;
            }
        }

        attribute = default;
        return false;
    }

    public bool TryGetAttribute(Phase1AttributeType type, out DataAttribute attribute) => TryGetAttribute((ushort)type, out attribute);

    /// <summary>The first attribute of a type as a number (basic, or variable of at most 8 significant bytes).</summary>
    public bool TryGetInteger(ushort type, out ulong value)
    {
        value = 0;
        return TryGetAttribute(type, out var attribute) && attribute.TryGetInteger(out value);
    }

    public bool TryGetAttribute(IpsecAttributeType type, out DataAttribute attribute) => TryGetAttribute((ushort)type, out attribute);

    public override string ToString() => $"Transform #{Number} id={TransformId} [{string.Join(", ", Attributes)}]";
}
