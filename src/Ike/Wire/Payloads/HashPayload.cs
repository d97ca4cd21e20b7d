namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Hash payload (RFC 2408 §3.11): a PRF or hash output (HASH_I/HASH_R, quick mode HASH(1..3), informational HASH(1)).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       Hash Data                                   ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record HashPayload(byte[] Data) : Payload
{
    public const int MinimumLength = 1;
    public const int MaximumLength = 65531;

    public override PayloadType Type => PayloadType.Hash;

    public override int BodyLength => Data.Length;

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public static WireResult<HashPayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < MinimumLength || body.Length > MaximumLength)
        {
            return WireError.Malformed($"HASH payload: data of {body.Length} bytes, expected {MinimumLength} to {MaximumLength}");
        }

        return WireResult<HashPayload>.Ok(new HashPayload(body.ToArray()));
    }

    public override string ToString() => $"HASH({Data.Length}) {Convert.ToHexStringLower(Data)}";
}
