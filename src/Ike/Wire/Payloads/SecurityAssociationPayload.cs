using System.Buffers.Binary;

namespace KernelIpsec.Ike.Wire;

/// <summary>
/// The SA payload (RFC 2408 §3.4) of the IPsec DOI (RFC 2407 §4.6.1): DOI, situation
/// SIT_IDENTITY_ONLY, then the proposals. Other DOIs and the labelled-domain situations
/// (secrecy, integrity) are refused with DOI-NOT-SUPPORTED / SITUATION-NOT-SUPPORTED.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ! Next Payload  !   RESERVED    !         Payload Length        !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// !              Domain of Interpretation  (DOI)                  !
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                           Situation                           ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record SecurityAssociationPayload(Proposal[] Proposals) : Payload
{
    public Doi Doi => Doi.Ipsec;

    public Situation Situation => Situation.IdentityOnly;

    public override PayloadType Type => PayloadType.SecurityAssociation;

    public override int BodyLength
    {
        get
        {
            int length = 8;
            foreach (var proposal in Proposals)
            {
                length += GenericHeaderSize + proposal.BodyLength;
            }

            return length;
        }
    }

    public override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Doi);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)Situation);
        int offset = 8;
        for (int i = 0; i < Proposals.Length; i++)
        {
            int length = GenericHeaderSize + Proposals[i].BodyLength;
            WriteGenericHeader(destination[offset..], i + 1 < Proposals.Length ? PayloadType.Proposal : PayloadType.None, length);
            Proposals[i].WriteBody(destination.Slice(offset + GenericHeaderSize, length - GenericHeaderSize));
            offset += length;
        }
    }

    public static WireResult<SecurityAssociationPayload> Read(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            return WireError.Malformed($"SA payload: body of {body.Length} bytes, shorter than DOI and situation (8)");
        }

        uint doi = BinaryPrimitives.ReadUInt32BigEndian(body);
        if (doi != (uint)Doi.Ipsec)
        {
            return new WireError(NotifyType.DoiNotSupported, $"SA payload: DOI {doi}, only the IPsec DOI (1) is supported");
        }

        uint situation = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        if (situation != (uint)Situation.IdentityOnly)
        {
            return new WireError(NotifyType.SituationNotSupported, $"SA payload: situation 0x{situation:x8}, only SIT_IDENTITY_ONLY (1) is supported");
        }

        // Count first, so the array is allocated once with its final size.
        int count = 0;
        int offset = 8;
        var next = PayloadType.Proposal;
        while (next != PayloadType.None)
        {
            if (next != PayloadType.Proposal)
            {
                return new WireError(NotifyType.BadProposalSyntax, $"SA payload: next payload {(byte)next} inside an SA, expected Proposal (2) or none");
            }

            if (!GenericHeader.TryRead(body, offset, $"SA payload, proposal {count + 1}", out next, out int length, out var headerError))
            {
                return headerError;
            }

            count++;
            offset += length;
        }

        if (offset != body.Length)
        {
            return WireError.Malformed($"SA payload: {body.Length - offset} bytes after the last proposal");
        }

        var proposals = new Proposal[count];
        offset = 8;
        for (int i = 0; i < count; i++)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(body[(offset + 2)..]);
            var proposal = Proposal.Read(body.Slice(offset + GenericHeaderSize, length - GenericHeaderSize));
            if (!proposal.TryGetValue(out proposals[i], out var error))
            {
                return error.Within($"SA payload, proposal {i + 1}");
            }

            offset += length;
        }

        return WireResult<SecurityAssociationPayload>.Ok(new SecurityAssociationPayload(proposals));
    }

    public override string ToString() => $"SA [{string.Join<Proposal>(" | ", Proposals)}]";
}
