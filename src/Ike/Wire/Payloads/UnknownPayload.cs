namespace KernelIpsec.Ike.Wire;

/// <summary>
/// A payload of the private-use range (128-255, RFC 2408 §3.1) that this codec does not
/// know. It is kept raw so an exchange can ignore it; unknown types outside that range are
/// an INVALID-PAYLOAD-TYPE error of the chain reader.
/// </summary>
public sealed record UnknownPayload(PayloadType RawType, byte[] Data) : Payload
{
    public override PayloadType Type => RawType;

    public override int BodyLength => Data.Length;

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public override string ToString() => $"payload {(byte)RawType} ({Data.Length} bytes)";
}
