using System.Buffers.Binary;
using System.Net;
using KernelIpsec.Ike.Crypto.Hashes;

namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>
/// NAT-D payload data (RFC 3947 section 3.2; the draft-02/03 payloads use the same hash):
/// HASH = hash(CKY-I | CKY-R | IP | Port) with the negotiated hash (not its HMAC), the address as
/// its 4 or 16 network-order bytes and the UDP port in network byte order.
/// </summary>
public static class NatDiscoveryHash
{
    public static int Compute(IkeHashAlgorithm hash, ReadOnlySpan<byte> cookieI, ReadOnlySpan<byte> cookieR,
        IPAddress address, ushort port, Span<byte> destination)
    {
        Cookies.Check(cookieI, cookieR);
        Span<byte> input = stackalloc byte[2 * Cookies.Length + 16 + 2];
        cookieI.CopyTo(input);
        cookieR.CopyTo(input[Cookies.Length..]);
        int offset = 2 * Cookies.Length;
        if (!address.TryWriteBytes(input[offset..], out int written))
            throw new ArgumentException($"cannot encode address {address}", nameof(address));
        offset += written;
        BinaryPrimitives.WriteUInt16BigEndian(input[offset..], port);
        return hash.Hash(input[..(offset + 2)], destination);
    }

    public static byte[] Compute(IkeHashAlgorithm hash, ReadOnlySpan<byte> cookieI, ReadOnlySpan<byte> cookieR, IPAddress address, ushort port)
    {
        var result = new byte[hash.HashLength];
        Compute(hash, cookieI, cookieR, address, port, result);
        return result;
    }
}
