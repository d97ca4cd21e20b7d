namespace KernelIpsec.Keyd.Transport;

/// <summary>
/// RFC 3948 section 2.2: on the NAT-T port, IKE messages carry four zero bytes in front (where ESP has its
/// SPI), and a single 0xFF byte is a NAT keepalive.
/// </summary>
public static class NonEspMarker
{
    public const int Length = 4;

    /// <summary>A NAT keepalive as sent: one 0xFF byte, no marker.</summary>
    public static ReadOnlySpan<byte> Keepalive => [0xff];

    /// <summary>What arrived on the NAT-T socket.</summary>
    public enum Kind
    {
        Ike,
        Keepalive,
        /// <summary>ESP (non-zero SPI) or a runt: the kernel's job, never IKE's.</summary>
        NotIke,
    }

    public static Kind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length == 1 && datagram[0] == 0xff)
            return Kind.Keepalive;
        if (datagram.Length >= Length && datagram[..Length].IndexOfAnyExcept((byte)0) < 0)
            return Kind.Ike;
        return Kind.NotIke;
    }

    /// <summary>The IKE message with the marker stripped (call only for <see cref="Kind.Ike"/>).</summary>
    public static ReadOnlyMemory<byte> Strip(ReadOnlyMemory<byte> datagram) => datagram[Length..];

    public static byte[] Prepend(ReadOnlySpan<byte> ikeMessage)
    {
        var buffer = new byte[Length + ikeMessage.Length];
        ikeMessage.CopyTo(buffer.AsSpan(Length));
        return buffer;
    }
}
