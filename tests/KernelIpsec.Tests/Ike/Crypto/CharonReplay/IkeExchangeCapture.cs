using System.Buffers.Binary;

namespace KernelIpsec.Tests.Ike.Crypto.CharonReplay;

/// <summary>
/// The messages of a captured negotiation as the peers processed them: retransmissions dropped,
/// IKEv1 fragments (payload 132, the Cisco/strongSwan scheme: fragment ID, number, LAST flag,
/// each carrying a slice of the whole original message) put back together.
/// </summary>
internal static class IkeExchangeCapture
{
    private const byte FragmentPayload = 132;

    public static List<CapturedDatagram> Messages(IEnumerable<CapturedDatagram> datagrams)
    {
        var result = new List<CapturedDatagram>();
        var seen = new HashSet<string>();
        var pending = new Dictionary<(string Source, ushort Id), SortedDictionary<byte, byte[]>>();
        foreach (var datagram in datagrams)
        {
            if (!seen.Add(Convert.ToHexString(datagram.Isakmp)))
                continue; // a retransmission: the peer sent these exact bytes before
            if (IsakmpChain.FirstPayload(datagram.Isakmp) != FragmentPayload)
            {
                result.Add(datagram);
                continue;
            }
            var fragment = datagram.Isakmp.AsSpan(IsakmpChain.HeaderLength);
            int length = BinaryPrimitives.ReadUInt16BigEndian(fragment[2..]);
            ushort id = BinaryPrimitives.ReadUInt16BigEndian(fragment[4..]);
            byte number = fragment[6];
            bool last = (fragment[7] & 0x01) != 0;
            var key = (datagram.Source.ToString(), id);
            if (!pending.TryGetValue(key, out var parts))
                pending[key] = parts = [];
            parts[number] = fragment[8..length].ToArray();
            if (last)
            {
                if (parts.Keys.First() != 1 || parts.Keys.Last() != parts.Count)
                    throw new InvalidDataException($"fragments of message {id} from {datagram.Source} are incomplete");
                result.Add(datagram with { Isakmp = parts.Values.SelectMany(p => p).ToArray() });
                pending.Remove(key);
            }
        }
        if (pending.Count != 0)
            throw new InvalidDataException("capture ends with an incomplete fragmented message");
        return result;
    }
}
