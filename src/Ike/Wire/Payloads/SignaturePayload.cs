namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Signature payload (RFC 2408 §3.12): SIG_I/SIG_R of RFC 2409 §5.1.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       Signature Data                              ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record SignaturePayload(byte[] Data) : Payload
{
    public const int MinimumLength = 1;
    public const int MaximumLength = 65531;

    public override PayloadType Type => PayloadType.Signature;

    public override int BodyLength => Data.Length;

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public static WireResult<SignaturePayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < MinimumLength || body.Length > MaximumLength)
        {
            return WireError.Malformed($"SIG payload: data of {body.Length} bytes, expected {MinimumLength} to {MaximumLength}");
        }

        return WireResult<SignaturePayload>.Ok(new SignaturePayload(body.ToArray()));
    }

    public override string ToString() => $"SIG({Data.Length}) {Convert.ToHexStringLower(Data)}";
}
