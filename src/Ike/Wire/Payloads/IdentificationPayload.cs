using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Identification payload (RFC 2408 §3.8) in the IPsec DOI form (RFC 2407 §4.6.2): the
/// DOI-specific bytes are an IP protocol and a port. In phase 1 they are 0/0 or UDP/500
/// (RFC 2407 §4.6.2); in quick mode (IDci/IDcr) they select traffic.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !        Payload Length         !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !   ID Type     !  Protocol ID  !             Port              !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                     Identification Data                       ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Data per type: IPV4_ADDR 4 bytes, IPV6_ADDR 16, *_SUBNET address + mask, *_ADDR_RANGE
/// start + end, FQDN/USER_FQDN ASCII without terminator, DER_ASN1_DN/GN DER, KEY_ID opaque.
/// </summary>
public sealed record IdentificationPayload(IdType IdType, byte Protocol, ushort Port, byte[] Data) : Payload
{
    public override PayloadType Type => PayloadType.Identification;

    public override int BodyLength => 4 + Data.Length;

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)IdType;
        destination[1] = Protocol;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Port);
        Data.CopyTo(destination[4..]);
    }

    public static WireResult<IdentificationPayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            return WireError.Malformed($"ID payload: body of {body.Length} bytes, shorter than the 4 fixed bytes");
        }

        var type = (IdType)body[0];
        var data = body[4..];
        string? problem = type switch
        {
            IdType.Ipv4Address => data.Length == 4 ? null : $"IPV4_ADDR of {data.Length} bytes, expected 4",
            IdType.Ipv6Address => data.Length == 16 ? null : $"IPV6_ADDR of {data.Length} bytes, expected 16",
            IdType.Ipv4Subnet => data.Length != 8 ? $"IPV4_ADDR_SUBNET of {data.Length} bytes, expected 8"
                : MaskPrefix(data[4..]) < 0 ? "IPV4_ADDR_SUBNET mask is not contiguous" : null,
            IdType.Ipv6Subnet => data.Length != 32 ? $"IPV6_ADDR_SUBNET of {data.Length} bytes, expected 32"
                : MaskPrefix(data[16..]) < 0 ? "IPV6_ADDR_SUBNET mask is not contiguous" : null,
            IdType.Ipv4Range => data.Length == 8 ? null : $"IPV4_ADDR_RANGE of {data.Length} bytes, expected 8",
            IdType.Ipv6Range => data.Length == 32 ? null : $"IPV6_ADDR_RANGE of {data.Length} bytes, expected 32",
            IdType.Fqdn or IdType.UserFqdn or IdType.DerAsn1Dn or IdType.DerAsn1Gn or IdType.KeyId =>
                data.Length > 0 ? null : $"empty {type} identification data",
            _ => $"unknown ID type {(byte)type}",
        };
        if (problem is not null)
        {
            return new WireError(NotifyType.InvalidIdInformation, $"ID payload: {problem}");
        }

        return WireResult<IdentificationPayload>.Ok(new IdentificationPayload(type, body[1], BinaryPrimitives.ReadUInt16BigEndian(body[2..]), data.ToArray()));
    }

    public static IdentificationPayload ForAddress(IPAddress address, byte protocol = 0, ushort port = 0) =>
        new(address.AddressFamily == AddressFamily.InterNetworkV6 ? IdType.Ipv6Address : IdType.Ipv4Address, protocol, port, address.GetAddressBytes());

    public static IdentificationPayload ForSubnet(IPNetwork network, byte protocol = 0, ushort port = 0)
    {
        byte[] address = network.BaseAddress.GetAddressBytes();
        byte[] data = new byte[address.Length * 2];
        address.CopyTo(data, 0);
        for (int bit = 0; bit < network.PrefixLength; bit++)
        {
            data[address.Length + bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return new(address.Length == 16 ? IdType.Ipv6Subnet : IdType.Ipv4Subnet, protocol, port, data);
    }

    public static IdentificationPayload ForRange(IPAddress first, IPAddress last, byte protocol = 0, ushort port = 0)
    {
        if (first.AddressFamily != last.AddressFamily)
        {
            throw new ArgumentException("range ends of different address families", nameof(last));
        }

        byte[] a = first.GetAddressBytes();
        byte[] data = new byte[a.Length * 2];
        a.CopyTo(data, 0);
        last.GetAddressBytes().CopyTo(data, a.Length);
        return new(a.Length == 16 ? IdType.Ipv6Range : IdType.Ipv4Range, protocol, port, data);
    }

    /// <summary>FQDN or USER_FQDN (RFC 2407 §4.6.2.3/4: a string without terminator).</summary>
    public static IdentificationPayload ForName(IdType type, string name, byte protocol = 0, ushort port = 0)
    {
        if (type is not (IdType.Fqdn or IdType.UserFqdn))
        {
            throw new ArgumentException($"{type} is not a name type", nameof(type));
        }

        return new(type, protocol, port, Encoding.ASCII.GetBytes(name));
    }

    /// <summary>The address of IPV4_ADDR/IPV6_ADDR, or the network of a *_SUBNET, or the first of a range.</summary>
    public IPAddress? Address => IdType switch
    {
        IdType.Ipv4Address or IdType.Ipv6Address => new IPAddress(Data),
        IdType.Ipv4Subnet or IdType.Ipv4Range => new IPAddress(Data.AsSpan(0, 4)),
        IdType.Ipv6Subnet or IdType.Ipv6Range => new IPAddress(Data.AsSpan(0, 16)),
        _ => null,
    };

    /// <summary>The network of a *_SUBNET identity (address masked as the peer sent it).</summary>
    public IPNetwork? Subnet
    {
        get
        {
            if (IdType is not (IdType.Ipv4Subnet or IdType.Ipv6Subnet))
            {
                return null;
            }

            int half = Data.Length / 2;
            int prefix = MaskPrefix(Data.AsSpan(half));
            byte[] network = Data.AsSpan(0, half).ToArray();
            for (int i = 0; i < half; i++)
            {
                network[i] &= Data[half + i];
            }

            return new IPNetwork(new IPAddress(network), prefix);
        }
    }

    /// <summary>The last address of a *_ADDR_RANGE identity.</summary>
    public IPAddress? RangeEnd => IdType switch
    {
        IdType.Ipv4Range => new IPAddress(Data.AsSpan(4, 4)),
        IdType.Ipv6Range => new IPAddress(Data.AsSpan(16, 16)),
        _ => null,
    };

    /// <summary>The FQDN or USER_FQDN as text.</summary>
    public string? Name => IdType is IdType.Fqdn or IdType.UserFqdn ? Encoding.ASCII.GetString(Data) : null;

    /// <summary>The prefix length of a contiguous mask, or -1.</summary>
    private static int MaskPrefix(ReadOnlySpan<byte> mask)
    {
        int prefix = 0;
        int i = 0;
        while (i < mask.Length && mask[i] == 0xff)
        {
            prefix += 8;
            i++;
        }

        if (i < mask.Length)
        {
            byte partial = mask[i];
            int ones = System.Numerics.BitOperations.LeadingZeroCount((uint)(byte)~partial) - 24;
            if ((byte)(partial << ones) != 0)
            {
                return -1;
            }

            prefix += ones;
            for (i++; i < mask.Length; i++)
            {
                if (mask[i] != 0)
                {
                    return -1;
                }
            }
        }

        return prefix;
    }

    public override string ToString() => IdType switch
    {
        IdType.Ipv4Address or IdType.Ipv6Address => $"ID {IdType} {Address} proto={Protocol} port={Port}",
        IdType.Ipv4Subnet or IdType.Ipv6Subnet => $"ID {IdType} {Subnet} proto={Protocol} port={Port}",
        IdType.Ipv4Range or IdType.Ipv6Range => $"ID {IdType} {Address}-{RangeEnd} proto={Protocol} port={Port}",
        IdType.Fqdn or IdType.UserFqdn => $"ID {IdType} {Name}",
        _ => $"ID {IdType} 0x{Convert.ToHexStringLower(Data)}",
    };
}
