namespace KernelIpsec.Ike.Wire;

/// <summary>
/// ISAKMP Next Payload Types (RFC 2408 §3.1, IANA "ISAKMP Next Payload Types"), with the
/// mode-config ATTR payload, the RFC 3947 NAT-T payloads, the NAT-T draft numbers that
/// pre-RFC peers (racoon, old Cisco) use, and the Cisco-style IKE fragment payload.
/// </summary>
public enum PayloadType : byte
{
    None = 0,
    SecurityAssociation = 1,
    Proposal = 2,
    Transform = 3,
    KeyExchange = 4,
    Identification = 5,
    Certificate = 6,
    CertificateRequest = 7,
    Hash = 8,
    Signature = 9,
    Nonce = 10,
    Notification = 11,
    Delete = 12,
    VendorId = 13,

    /// <summary>draft-dukes-ike-mode-cfg / draft-ietf-ipsec-isakmp-xauth: mode-config and XAuth attributes.</summary>
    Attribute = 14,

    /// <summary>RFC 3947 §3.2 NAT-D.</summary>
    NatDiscovery = 20,

    /// <summary>RFC 3947 §5.2 NAT-OA.</summary>
    NatOriginalAddress = 21,

    /// <summary>draft-ietf-ipsec-nat-t-ike-02/03 NAT-D (private range).</summary>
    NatDiscoveryDraft = 130,

    /// <summary>draft-ietf-ipsec-nat-t-ike-02/03 NAT-OA (private range).</summary>
    NatOriginalAddressDraft = 131,

    /// <summary>Cisco/Microsoft IKE fragmentation (racoon isakmp_frag.c, strongSwan fragment_payload.c).</summary>
    Fragment = 132,
}
