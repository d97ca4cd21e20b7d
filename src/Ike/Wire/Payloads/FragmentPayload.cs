using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The IKE fragment payload (payload 132, Cisco-style IKEv1 fragmentation as racoon,
/// strongSwan and libreswan implement it): one piece of a whole ISAKMP message. It is the
/// only payload of its message; fragments are numbered from 1, the last carries flag 1.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !          Fragment ID          !  Fragment #   !     Flags     !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                         Fragment Data                         ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record FragmentPayload(ushort FragmentId, byte Number, bool IsLast, byte[] Data) : Payload
{
    public const byte LastFlag = 0x01;

    public override PayloadType Type => PayloadType.Fragment;

    public override int BodyLength => 4 + Data.Length;

    public override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, FragmentId);
        destination[2] = Number;
        destination[3] = IsLast ? LastFlag : (byte)0;
        Data.CopyTo(destination[4..]);
    }

    public static WireResult<FragmentPayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            return WireError.Malformed($"Fragment payload: body of {body.Length} bytes, shorter than the 4 fixed bytes");
        }

        if (body[2] == 0)
        {
            return WireError.Malformed("Fragment payload: fragment number 0, numbers start at 1");
        }

        if ((body[3] & ~LastFlag) != 0)
        {
            return WireError.Malformed($"Fragment payload: unknown flags 0x{body[3]:x2}");
        }

        return WireResult<FragmentPayload>.Ok(new FragmentPayload(BinaryPrimitives.ReadUInt16BigEndian(body), body[2], body[3] == LastFlag, body[4..].ToArray()));
    }

    public override string ToString() => $"FRAG id={FragmentId} #{Number}{(IsLast ? " last" : "")} ({Data.Length} bytes)";
}
