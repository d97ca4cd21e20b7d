namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Nonce payload (RFC 2408 §3.13). RFC 2409 §5: 'The length of nonce payload MUST be between 8 and 256 bytes inclusive.'
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       Nonce Data                                  ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record NoncePayload(byte[] Data) : Payload
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 256;

    public override PayloadType Type => PayloadType.Nonce;

    public override int BodyLength => Data.Length;

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public static WireResult<NoncePayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < MinimumLength || body.Length > MaximumLength)
        {
            return WireError.Malformed($"NONCE payload: data of {body.Length} bytes, expected {MinimumLength} to {MaximumLength}");
        }

        return WireResult<NoncePayload>.Ok(new NoncePayload(body.ToArray()));
    }

    public override string ToString() => $"NONCE({Data.Length}) {Convert.ToHexStringLower(Data)}";
}
