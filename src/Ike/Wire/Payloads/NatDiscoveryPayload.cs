namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The NAT-D payload (RFC 3947 §3.2): HASH(CKY-I | CKY-R | IP | Port). The same body is sent as payload 130 by draft-02/03 peers (<see cref="Draft"/>).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                       HASH of the address and port                ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record NatDiscoveryPayload(byte[] Data, bool Draft = false) : Payload
{
    public const int MinimumLength = 1;
    public const int MaximumLength = 65531;

    /// <summary>Payload number 130 of draft-ietf-ipsec-nat-t-ike-02/03 when <see cref="Draft"/>, else 20 (RFC 3947).</summary>
    public override PayloadType Type => Draft ? PayloadType.NatDiscoveryDraft : PayloadType.NatDiscovery;

    public override int BodyLength => Data.Length;

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public static WireResult<NatDiscoveryPayload> Read(ReadOnlySpan<byte> body, bool draft = false)
    {
        if (body.Length < MinimumLength || body.Length > MaximumLength)
        {
            return WireError.Malformed($"NAT-D payload: data of {body.Length} bytes, expected {MinimumLength} to {MaximumLength}");
        }

        return WireResult<NatDiscoveryPayload>.Ok(new NatDiscoveryPayload(body.ToArray(), draft));
    }

    public override string ToString() => $"NAT-D({Data.Length}) {Convert.ToHexStringLower(Data)}";
}
