using System.Buffers.Binary;
using KernelIpsec.Ike.Crypto.Hashes;

namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>
/// Keying material of an IPsec SA (RFC 2409 section 5.5):
/// KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
/// K(n+1) = prf(SKEYID_d, Kn | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
/// One SA per direction: SPI is the one its receiver chose, so the initiator's outbound key uses
/// the responder's SPI. The cipher key comes first, the integrity key after it (RFC 2409 5.5,
/// as Linux and racoon take it).
/// </summary>
public static class Keymat
{
    /// <param name="skeyidD">A PRF keyed with SKEYID_d (reused across quick modes).</param>
    /// <param name="pfsSharedSecret">g(qm)^xy with PFS, empty without.</param>
    /// <param name="protocol">The IPsec protocol id of the proposal (PROTO_IPSEC_AH 2, PROTO_IPSEC_ESP 3, PROTO_IPCOMP 4).</param>
    /// <param name="spi">The SA's 4-byte SPI (host order; written in network order).</param>
    /// <param name="nonceI">Ni_b, the initiator's quick mode nonce body.</param>
    /// <param name="nonceR">Nr_b.</param>
    /// <param name="destination">Filled completely: encryption key length + integrity key length.</param>
    public static void Derive(IkePrf skeyidD, ReadOnlySpan<byte> pfsSharedSecret, byte protocol, uint spi,
        ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR, Span<byte> destination)
    {
        Span<byte> spiBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(spiBytes, spi);
        Span<byte> block = stackalloc byte[skeyidD.Length];
        int written = 0;
        bool first = true;
        while (written < destination.Length)
        {
            if (!first)
                skeyidD.Append(block);
            skeyidD.Append(pfsSharedSecret).Append(protocol).Append(spiBytes).Append(nonceI).Append(nonceR).Finish(block);
            first = false;
            int take = Math.Min(block.Length, destination.Length - written);
            block[..take].CopyTo(destination[written..]);
            written += take;
        }
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(block);
    }

    public static byte[] Derive(IkePrf skeyidD, ReadOnlySpan<byte> pfsSharedSecret, byte protocol, uint spi,
        ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR, int length)
    {
        var keymat = new byte[length];
        Derive(skeyidD, pfsSharedSecret, protocol, spi, nonceI, nonceR, keymat);
        return keymat;
    }
}
