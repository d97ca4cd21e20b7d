namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Certificate payload (RFC 2408 §3.9): an encoding byte and the certificate data
/// (DER for X.509).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Cert Encoding !                                               !
/// +-+-+-+-+-+-+-+-+                                               !
/// ~                       Certificate Data                        ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record CertificatePayload(CertificateEncoding Encoding, byte[] Data) : Payload
{
    public override PayloadType Type => PayloadType.Certificate;

    public override int BodyLength => 1 + Data.Length;

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Encoding;
        Data.CopyTo(destination[1..]);
    }

    public static WireResult<CertificatePayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 2)
        {
            return WireError.Malformed($"CERT payload: body of {body.Length} bytes, expected an encoding and certificate data");
        }

        return WireResult<CertificatePayload>.Ok(new CertificatePayload((CertificateEncoding)body[0], body[1..].ToArray()));
    }

    public override string ToString() => $"CERT {Encoding} ({Data.Length} bytes)";
}
