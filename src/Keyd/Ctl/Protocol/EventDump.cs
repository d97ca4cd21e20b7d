using System.Buffers.Binary;
using System.Net;

namespace KernelIpsec.Keyd.AdminProtocol;

/// <summary>
/// <c>struct evt_async</c> (280 bytes on x86_64, host byte order): <c>u32 ec_type</c>, 4 bytes padding,
/// <c>time_t ec_timestamp @8</c>, <c>sockaddr_storage ec_ph1src @16</c> and <c>ec_ph1dst @144</c>,
/// <c>u32 ec_ph2msgid @272</c>, 4 bytes padding. racoon pushes one after an admin header with
/// <c>ac_cmd = ADMIN_SHOW_EVT</c> to every subscribed racoonctl (show-event).
/// </summary>
internal sealed record EventDump(uint Type, long Timestamp, IPEndPoint? Source, IPEndPoint? Destination, uint Phase2MessageId)
{
    public const int Size = 280;

    /// <summary>ISAKMP data attributes after the event (EVT_PHASE1_MODE_CFG: the Mode Config attributes), network order.</summary>
    public byte[] Attributes { get; init; } = [];

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Type);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], Timestamp);
        if (Source is not null)
            SocketAddressCodec.Write(destination[16..], Source);
        if (Destination is not null)
            SocketAddressCodec.Write(destination[144..], Destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[272..], Phase2MessageId);
    }

    public static EventDump Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new FormatException($"event needs {Size} bytes, got {source.Length}");
        return new EventDump(
            BinaryPrimitives.ReadUInt32LittleEndian(source),
            BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            SocketAddressCodec.Read(source[16..]),
            SocketAddressCodec.Read(source[144..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[272..]));
    }

    /// <summary>The whole pushed message: admin header (ADMIN_SHOW_EVT, errno 0) and this event.</summary>
    public byte[] ToMessage()
    {
        var payload = new byte[Size + Attributes.Length];
        Write(payload);
        Attributes.CopyTo(payload, Size);
        return AdminHeader.Reply(AdminCommand.ShowEvent, 0, 0, payload);
    }

    /// <summary>racoonctl's <c>print_evt</c>: <c>message : src -> dst</c>, addresses as <c>addr[port]</c>.</summary>
    public string ToLine()
    {
        var message = EventType.Message(Type);
        var head = message is null ? $"Event {Type}: " : message + " : ";
        return head + Address(Source) + " -> " + Address(Destination);
    }

    private static string Address(IPEndPoint? endpoint) => endpoint is null ? "unknown" : $"{endpoint.Address}[{endpoint.Port}]";
}
