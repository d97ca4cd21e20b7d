namespace KernelIpsec.Ike.Wire;

/// <summary>
/// Cisco-style IKEv1 fragmentation (payload 132): a whole ISAKMP message, header included
/// and usually encrypted, is cut into pieces; each piece travels in its own datagram whose
/// header copies the original's cookies, exchange type and message ID, without the E flag,
/// with one <see cref="FragmentPayload"/> (numbers from 1, the last flagged).
/// </summary>
public static class IkeFragmentation
{
    /// <summary>The largest message reassembled: a UDP datagram's payload.</summary>
    public const int MaxReassembledLength = 65535;

    /// <summary>
    /// Splits <paramref name="message"/> into datagrams of at most <paramref name="maxDatagramLength"/>
    /// bytes (racoon uses 552 per fragment, charon about 1250).
    /// </summary>
    public static byte[][] Split(ReadOnlySpan<byte> message, ushort fragmentId, int maxDatagramLength)
    {
        var header = IsakmpHeader.Read(message);
        if (!header.TryGetValue(out var original, out var error))
        {
            throw new ArgumentException($"not an ISAKMP message: {error}", nameof(message));
        }

        int perFragment = maxDatagramLength - IsakmpHeader.Size - Payload.GenericHeaderSize - 4;
        if (perFragment < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDatagramLength), maxDatagramLength, "too small for a fragment");
        }

        int count = (message.Length + perFragment - 1) / perFragment;
        if (count > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDatagramLength), maxDatagramLength, $"{count} fragments, at most 255");
        }

        var fragmentHeader = original with { Flags = original.Flags & ~IsakmpFlags.Encryption };
        var datagrams = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            int start = i * perFragment;
            var piece = message.Slice(start, Math.Min(perFragment, message.Length - start));
            datagrams[i] = IsakmpMessage.ToArray(fragmentHeader, new FragmentPayload(fragmentId, (byte)(i + 1), i == count - 1, piece.ToArray()));
        }

        return datagrams;
    }

    /// <summary>
    /// Joins a complete set of fragments (any order) into the original message's bytes, which
    /// <see cref="IsakmpMessage.Read"/> then parses. The set must share one fragment ID, hold
    /// every number from 1 to the one flagged last exactly once, and nothing beyond it.
    /// </summary>
    public static WireResult<byte[]> Reassemble(ReadOnlySpan<FragmentPayload> fragments)
    {
        if (fragments.IsEmpty)
        {
            return WireError.Malformed("IKE fragments: none");
        }

        int last = 0;
        ushort id = fragments[0].FragmentId;
        foreach (var fragment in fragments)
        {
            if (fragment.FragmentId != id)
            {
                return WireError.Malformed($"IKE fragments: fragment ID {fragment.FragmentId} mixed with {id}");
            }

            if (fragment.IsLast)
            {
                if (last != 0)
                {
                    return WireError.Malformed($"IKE fragments: both #{last} and #{fragment.Number} flagged last");
                }

                last = fragment.Number;
            }
        }

        if (last == 0)
        {
            return WireError.Malformed("IKE fragments: no fragment flagged last");
        }

        var ordered = new FragmentPayload?[last + 1];
        int total = 0;
        foreach (var fragment in fragments)
        {
            if (fragment.Number > last)
            {
                return WireError.Malformed($"IKE fragments: #{fragment.Number} after the last (#{last})");
            }

            if (ordered[fragment.Number] is not null)
            {
                return WireError.Malformed($"IKE fragments: #{fragment.Number} twice");
            }

            ordered[fragment.Number] = fragment;
            total += fragment.Data.Length;
        }

        if (fragments.Length != last)
        {
            return WireError.Malformed($"IKE fragments: {fragments.Length} of {last}");
        }

        if (total > MaxReassembledLength)
        {
            return WireError.Malformed($"IKE fragments: {total} bytes reassembled, more than {MaxReassembledLength}");
        }

        byte[] message = new byte[total];
        int offset = 0;
        for (int n = 1; n <= last; n++)
        {
            byte[] data = ordered[n]!.Data;
            data.CopyTo(message, offset);
            offset += data.Length;
        }

        return WireResult<byte[]>.Ok(message);
    }
}
