namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Certificate Request payload (RFC 2408 §3.10): a certificate type and an optional
/// acceptable authority (a DER distinguished name for X.509; empty means any).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !  Cert. Type   !                                               !
/// +-+-+-+-+-+-+-+-+                                               !
/// ~                    Certificate Authority                      ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record CertificateRequestPayload(CertificateEncoding CertificateType, byte[] Authority) : Payload
{
    public override PayloadType Type => PayloadType.CertificateRequest;

    public override int BodyLength => 1 + Authority.Length;

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)CertificateType;
        Authority.CopyTo(destination[1..]);
    }

    public static WireResult<CertificateRequestPayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 1)
        {
            return WireError.Malformed("CR payload: empty body, expected a certificate type");
        }

        return WireResult<CertificateRequestPayload>.Ok(new CertificateRequestPayload((CertificateEncoding)body[0], body[1..].ToArray()));
    }

    public override string ToString() => $"CR {CertificateType} (authority {Authority.Length} bytes)";
}
