using KernelIpsec.Ike.Crypto.Hashes;

namespace KernelIpsec.Ike.Crypto.Derivation;

/// <summary>
/// The phase 1 authentication hashes (RFC 2409 section 5), computed with a PRF keyed with SKEYID:
/// HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b),
/// HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b).
/// SAi_b is the initiator's whole SA payload body (without the generic header), IDii_b / IDir_b the
/// ID payload bodies. With PSK these are the HASH payloads; with signatures, the signed data.
/// </summary>
public static class Phase1Hash
{
    public static int HashI(IkePrf skeyid, ReadOnlySpan<byte> publicValueI, ReadOnlySpan<byte> publicValueR,
        ReadOnlySpan<byte> cookieI, ReadOnlySpan<byte> cookieR, ReadOnlySpan<byte> saIBody, ReadOnlySpan<byte> idIBody,
        Span<byte> destination)
    {
        Cookies.Check(cookieI, cookieR);
        return skeyid.Append(publicValueI).Append(publicValueR).Append(cookieI).Append(cookieR)
            .Append(saIBody).Append(idIBody).Finish(destination);
    }

    public static int HashR(IkePrf skeyid, ReadOnlySpan<byte> publicValueI, ReadOnlySpan<byte> publicValueR,
        ReadOnlySpan<byte> cookieI, ReadOnlySpan<byte> cookieR, ReadOnlySpan<byte> saIBody, ReadOnlySpan<byte> idRBody,
        Span<byte> destination)
    {
        Cookies.Check(cookieI, cookieR);
        return skeyid.Append(publicValueR).Append(publicValueI).Append(cookieR).Append(cookieI)
            .Append(saIBody).Append(idRBody).Finish(destination);
    }
}
