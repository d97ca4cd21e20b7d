using System.Net;
using System.Net.Sockets;
using KernelIpsec.Ike.Config;

namespace KernelIpsec.Ike.Exchanges.Transaction;

/// <summary>
/// Cisco Unity SPLIT_INCLUDE / LOCAL_LAN values (racoon <c>struct unity_network</c>): a list of 14-byte entries,
/// IPv4 address, IPv4 mask and six bytes of zero padding (protocol and ports, unused).
/// </summary>
internal static class UnityNetworks
{
    public const int EntrySize = 14;

    public static byte[] Encode(IEnumerable<SplitNetwork> networks)
    {
        var list = networks.Where(n => n.Network.AddressFamily == AddressFamily.InterNetwork).ToList();
        var bytes = new byte[list.Count * EntrySize];
        for (var i = 0; i < list.Count; i++)
        {
            var entry = bytes.AsSpan(i * EntrySize, EntrySize);
            var net = new IPNetwork(list[i].Network, list[i].PrefixLength);
            net.BaseAddress.TryWriteBytes(entry, out _);
            Mask(list[i].PrefixLength).TryWriteBytes(entry[4..], out _);
        }
        return bytes;
    }

    public static IReadOnlyList<IPNetwork> Decode(ReadOnlySpan<byte> value)
    {
        var list = new List<IPNetwork>();
        for (var at = 0; at + EntrySize <= value.Length; at += EntrySize)
        {
            var address = new IPAddress(value.Slice(at, 4));
            var prefix = PrefixOf(value.Slice(at + 4, 4));
            list.Add(new IPNetwork(Masked(address, prefix), prefix));
        }
        return list;
    }

    /// <summary>The prefix length of a netmask (leading one bits, as racoon's INTERNAL_CIDR4).</summary>
    public static int PrefixOf(ReadOnlySpan<byte> mask)
    {
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mask);
        var bits = 0;
        while (value != 0 && (value & 0x80000000) != 0)
        {
            bits++;
            value <<= 1;
        }
        return bits;
    }

    public static IPAddress Mask(int prefix) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(prefix == 0 ? 0u : uint.MaxValue << (32 - prefix)));

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        var v = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b) & (prefix == 0 ? 0u : uint.MaxValue << (32 - prefix));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return new IPAddress(b);
    }
}
