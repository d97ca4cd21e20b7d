using System.Buffers.Binary;
using KernelIpsec.Netlink.Interop;

namespace KernelIpsec.Netlink.NetlinkProtocol;

/// <summary>One netlink message inside a received datagram: header fields and the body after the header.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> body)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Body = body;
    }

    public ushort Type { get; }

    public ushort Flags { get; }

    public uint Sequence { get; }

    public uint PortId { get; }

    public ReadOnlySpan<byte> Body { get; }

    /// <summary>
    /// Reads the next message of a datagram. Returns false at the end; throws <see cref="NetlinkFormatException"/>
    /// when a length field points outside the datagram.
    /// </summary>
    public static bool TryRead(ref ReadOnlySpan<byte> datagram, out NetlinkMessage message)
    {
        message = default;
        if (datagram.Length < NetlinkConstants.NlmsghdrSize)
        {
            if (datagram.Length != 0)
                throw new NetlinkFormatException($"{datagram.Length} trailing bytes are too short for a netlink header");
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(datagram);
        if (length < NetlinkConstants.NlmsghdrSize || length > datagram.Length)
            throw new NetlinkFormatException($"nlmsg_len {length} is outside the {datagram.Length} bytes received");
        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(datagram[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[12..]),
            datagram[NetlinkConstants.NlmsghdrSize..(int)length]);
        var next = Math.Min(NetlinkConstants.Align((int)length), datagram.Length);
        datagram = datagram[next..];
        return true;
    }

    /// <summary>The errno of an NLMSG_ERROR message (0 for an acknowledgement), as a positive number.</summary>
    public int ErrorCode()
    {
        if (Body.Length < 4)
            throw new NetlinkFormatException($"NLMSG_ERROR body of {Body.Length} bytes has no error field");
        return -BinaryPrimitives.ReadInt32LittleEndian(Body);
    }
}
