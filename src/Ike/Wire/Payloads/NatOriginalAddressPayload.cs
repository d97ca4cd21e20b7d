using System.Net;
using System.Net.Sockets;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The NAT-OA payload (RFC 3947 §5.2): the original address of a NATed peer, as payload 21,
/// or 131 for draft-ietf-ipsec-nat-t-ike-02/03 peers (<see cref="Draft"/>).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !        Payload length         !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !   ID Type     !   RESERVED    !            RESERVED           !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !         IPv4 (4 octets) or IPv6 address (16 octets)           !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record NatOriginalAddressPayload(IPAddress Address, bool Draft = false) : Payload
{
    public override PayloadType Type => Draft ? PayloadType.NatOriginalAddressDraft : PayloadType.NatOriginalAddress;

    private bool IsV6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public override int BodyLength => IsV6 ? 20 : 8;

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)(IsV6 ? IdType.Ipv6Address : IdType.Ipv4Address);
        destination[1] = destination[2] = destination[3] = 0;
        if (!Address.TryWriteBytes(destination[4..], out _))
        {
            throw new ArgumentException("destination too short for the NAT-OA address", nameof(destination));
        }
    }

    public static WireResult<NatOriginalAddressPayload> Read(ReadOnlySpan<byte> body, bool draft = false)
    {
        if (body.Length < 4)
        {
            return WireError.Malformed($"NAT-OA payload: body of {body.Length} bytes, shorter than the 4 fixed bytes");
        }

        var type = (IdType)body[0];
        int expected = type switch
        {
            IdType.Ipv4Address => 4,
            IdType.Ipv6Address => 16,
            _ => -1,
        };
        if (expected < 0)
        {
            return new WireError(NotifyType.InvalidIdInformation, $"NAT-OA payload: ID type {(byte)type}, expected IPV4_ADDR (1) or IPV6_ADDR (5)");
        }

        if (body.Length - 4 != expected)
        {
            return WireError.Malformed($"NAT-OA payload: {type} of {body.Length - 4} bytes, expected {expected}");
        }

        return WireResult<NatOriginalAddressPayload>.Ok(new NatOriginalAddressPayload(new IPAddress(body[4..]), draft));
    }

    public override string ToString() => $"NAT-OA {Address}{(Draft ? " (draft)" : "")}";
}
