namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Key Exchange payload (RFC 2408 §3.7): the Diffie-Hellman public value. Its size must match the group; that check belongs to the exchange, which knows the group.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       Key Exchange Data                           ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record KeyExchangePayload(byte[] Data) : Payload
{
    public const int MinimumLength = 1;
    public const int MaximumLength = 65531;

    public override PayloadType Type => PayloadType.KeyExchange;

    public override int BodyLength => Data.Length;

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public static WireResult<KeyExchangePayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < MinimumLength || body.Length > MaximumLength)
        {
            return WireError.Malformed($"KE payload: data of {body.Length} bytes, expected {MinimumLength} to {MaximumLength}");
        }

        return WireResult<KeyExchangePayload>.Ok(new KeyExchangePayload(body.ToArray()));
    }

    public override string ToString() => $"KE({Data.Length}) {Convert.ToHexStringLower(Data)}";
}
