namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The Vendor ID payload (RFC 2408 §3.16). Well-known values are in <see cref="KnownVendorIds"/>.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                        Vendor ID (VID)                        ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record VendorIdPayload(byte[] Data) : Payload
{
    public override PayloadType Type => PayloadType.VendorId;

    public override int BodyLength => Data.Length;

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    /// <summary>Exactly this vendor ID.</summary>
    public bool Is(ReadOnlySpan<byte> vendorId) => vendorId.SequenceEqual(Data);

    /// <summary>
    /// This vendor ID followed by version or capability bytes (the DPD VID's last two bytes
    /// are a version; the fragmentation VID may carry 4 capability bytes; strongSwan's and
    /// Cisco Unity's carry versions).
    /// </summary>
    public bool StartsWith(ReadOnlySpan<byte> prefix) => Data.AsSpan().StartsWith(prefix);

    public static WireResult<VendorIdPayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0)
        {
            return WireError.Malformed("VID payload: empty vendor ID");
        }

        return WireResult<VendorIdPayload>.Ok(new VendorIdPayload(body.ToArray()));
    }

    public override string ToString() => $"VID {Convert.ToHexStringLower(Data)}";
}
