using System.Buffers.Binary;
using System.Runtime.InteropServices;
using KernelIpsec.Netlink.Interop;

namespace KernelIpsec.Netlink.NetlinkProtocol;

/// <summary>
/// Builds one netlink message:
/// <code>
///  struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; }
///  fixed body (a struct from xfrm.h), then attributes { __u16 nla_len; __u16 nla_type; payload; pad to 4 }
/// </code>
/// Lengths are back-patched by <see cref="ToArray"/>; padding is zero. As in iproute2, each item starts
/// 4-aligned, attributes count their padding, and a fixed body at the very end does not (FLUSHSA is 17 bytes).
/// </summary>
internal sealed class NetlinkMessageBuilder
{
    private byte[] buffer = new byte[512];
    private int length;

    public NetlinkMessageBuilder(ushort type, ushort flags, uint sequence)
    {
        length = NetlinkConstants.NlmsghdrSize;
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), sequence);
        Sequence = sequence;
    }

    public uint Sequence { get; }

    /// <summary>Appends a fixed-layout struct (host order, as the kernel reads it).</summary>
    public NetlinkMessageBuilder Struct<T>(in T value)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));
        Pad();
        Append(bytes);
        return this;
    }

    public NetlinkMessageBuilder Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        Pad();
        var header = Reserve(NetlinkConstants.NlattrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header, checked((ushort)(NetlinkConstants.NlattrSize + payload.Length)));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        Append(payload);
        Pad();
        return this;
    }

    public NetlinkMessageBuilder Attribute<T>(ushort type, in T value)
        where T : unmanaged
        => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>The finished message with nlmsg_len filled in.</summary>
    public byte[] ToArray()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        return buffer.AsSpan(0, length).ToArray();
    }

    private void Append(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    private void Pad() => Reserve(NetlinkConstants.Align(length) - length);

    private Span<byte> Reserve(int count)
    {
        if (length + count > buffer.Length)
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        var span = buffer.AsSpan(length, count);
        span.Clear();
        length += count;
        return span;
    }
}
