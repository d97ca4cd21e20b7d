using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelIpsec.Netlink.Interop;

namespace KernelIpsec.Netlink.NetlinkProtocol;

/// <summary>
/// The attributes after a message's fixed body, indexed by type (the last occurrence wins, as nla_parse does).
/// Bounds are checked once when indexing.
/// </summary>
internal readonly ref struct NetlinkAttributes
{
    private const int MaxType = 64;
    private readonly ReadOnlySpan<byte> data;
    private readonly int[] offsets = new int[MaxType];   // offset of the payload + 1 (0 = absent)
    private readonly int[] lengths = new int[MaxType];

    public NetlinkAttributes(ReadOnlySpan<byte> data)
    {
        this.data = data;
        var position = 0;
        while (position + NetlinkConstants.NlattrSize <= data.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
            int type = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]) & NetlinkConstants.NLA_TYPE_MASK;
            if (length < NetlinkConstants.NlattrSize || position + length > data.Length)
                throw new NetlinkFormatException($"attribute type {type} has nla_len {length} beyond the message ({data.Length - position} bytes left)");
            if (type < MaxType)
            {
                offsets[type] = position + NetlinkConstants.NlattrSize + 1;
                lengths[type] = length - NetlinkConstants.NlattrSize;
            }

            position += NetlinkConstants.Align(length);
        }
    }

    public bool Has(ushort type) => offsets is not null && offsets[type] != 0;

    public ReadOnlySpan<byte> Get(ushort type) => !Has(type) ? default : data.Slice(offsets[type] - 1, lengths[type]);

    /// <summary>Reads an attribute holding a struct; null when absent; throws when shorter than the struct.</summary>
    public T? GetStruct<T>(ushort type, string name)
        where T : unmanaged
    {
        if (!Has(type))
            return null;
        var payload = Get(type);
        if (payload.Length < Unsafe.SizeOf<T>())
            throw new NetlinkFormatException($"{name} attribute has {payload.Length} bytes, needs {Unsafe.SizeOf<T>()}");
        return MemoryMarshal.Read<T>(payload);
    }
}
