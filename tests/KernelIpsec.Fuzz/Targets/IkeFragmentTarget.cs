using System.Buffers.Binary;
using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>
/// IKE fragmentation (payload 132): a set of datagrams, each a 2-byte big-endian length and the bytes, read as
/// ISAKMP messages; their fragment payloads go to <see cref="IkeFragmentation.Reassemble"/> and a reassembled
/// message to the message reader. (The engine does not reassemble fragments yet: this is the reassembler it
/// would use.)
/// </summary>
public sealed class IkeFragmentTarget : IFuzzTarget
{
    public string Name => "fragments";

    public void Run(ReadOnlySpan<byte> input)
    {
        var fragments = new List<FragmentPayload>();
        while (input.Length >= 2)
        {
            int length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input), input.Length - 2);
            var datagram = input.Slice(2, length);
            input = input[(2 + length)..];
            if (IsakmpMessage.Read(datagram).TryGetValue(out var message, out _) && message.Payloads is { } chain)
            {
                fragments.AddRange(chain.FindAll<FragmentPayload>());
            }
        }

        if (IkeFragmentation.Reassemble([.. fragments]).TryGetValue(out var whole, out _))
        {
            _ = IsakmpMessage.Read(whole);
        }
    }
}
