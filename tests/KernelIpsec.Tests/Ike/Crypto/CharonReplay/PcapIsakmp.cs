using System.Buffers.Binary;
using System.Net;

namespace KernelIpsec.Tests.Ike.Crypto.CharonReplay;

/// <summary>One UDP/500 datagram of a capture: who sent it and the ISAKMP message.</summary>
internal sealed record CapturedDatagram(IPAddress Source, byte[] Isakmp);

/// <summary>Reads the ISAKMP datagrams (Ethernet, IPv4, UDP port 500) out of a classic pcap file.</summary>
internal static class PcapIsakmp
{
    public static List<CapturedDatagram> Read(string path)
    {
        var file = File.ReadAllBytes(path);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool little = magic == 0xa1b2c3d4;
        if (!little && BinaryPrimitives.ReadUInt32BigEndian(file) != 0xa1b2c3d4)
            throw new InvalidDataException($"{path}: not a microsecond pcap file");
        uint ReadU32(int offset) => little ? BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset));
        if (ReadU32(20) != 1)
            throw new InvalidDataException($"{path}: link type {ReadU32(20)}, expected Ethernet");

        var result = new List<CapturedDatagram>();
        int position = 24;
        while (position + 16 <= file.Length)
        {
            int captured = (int)ReadU32(position + 8);
            int original = (int)ReadU32(position + 12);
            if (captured != original)
                throw new InvalidDataException($"{path}: a packet was truncated by the capture (snap length)");
            var frame = file.AsSpan(position + 16, captured);
            position += 16 + captured;

            if (BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800)
                continue;
            var ip = frame[14..];
            int headerLength = (ip[0] & 0x0f) * 4;
            if (ip[9] != 17)
                continue;
            var udp = ip[headerLength..];
            if (BinaryPrimitives.ReadUInt16BigEndian(udp[2..]) != 500)
                continue;
            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
            result.Add(new CapturedDatagram(new IPAddress(ip.Slice(12, 4)), udp[8..udpLength].ToArray()));
        }
        return result;
    }
}
