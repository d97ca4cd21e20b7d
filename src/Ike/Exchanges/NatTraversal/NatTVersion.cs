using KernelIpsec.Ike.Wire;

namespace KernelIpsec.Ike.Exchanges.NatTraversal;

/// <summary>
/// The NAT-T dialects racoon 0.8.2 speaks, worst to best: the peer's vendor IDs say which it knows, the best one
/// both know is used. The drafts number NAT-D/NAT-OA 130/131 and the UDP encapsulation modes 61443/61444;
/// RFC 3947 uses 20/21 and 3/4. All float to the NAT-T port with the non-ESP marker (draft-02 onwards).
/// </summary>
internal enum NatTVersion
{
    None = 0,
    Draft02,
    Draft02N,
    Draft03,
    Rfc3947,
}

internal static class NatTVersions
{
    /// <summary>Every dialect we offer, best first, as racoon sends them.</summary>
    public static readonly NatTVersion[] Offered = [NatTVersion.Rfc3947, NatTVersion.Draft03, NatTVersion.Draft02N, NatTVersion.Draft02];

    public static byte[] VendorId(this NatTVersion version) => version switch
    {
        NatTVersion.Rfc3947 => KnownVendorIds.NatTRfc3947.ToArray(),
        NatTVersion.Draft03 => KnownVendorIds.NatTDraft03.ToArray(),
        NatTVersion.Draft02N => KnownVendorIds.NatTDraft02N.ToArray(),
        NatTVersion.Draft02 => KnownVendorIds.NatTDraft02.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>The dialect a vendor ID names, or None.</summary>
    public static NatTVersion FromVendorId(VendorIdPayload vid)
    {
        foreach (var version in Offered)
        {
            if (vid.Is(version.VendorId()))
            {
                return version;
            }
        }
        return NatTVersion.None;
    }

    /// <summary>racoon's name in "Selected NAT-T version: ...".</summary>
    public static string RacoonName(this NatTVersion version) => version switch
    {
        NatTVersion.Rfc3947 => "RFC 3947",
        NatTVersion.Draft03 => "draft-ietf-ipsec-nat-t-ike-03",
        NatTVersion.Draft02N => "draft-ietf-ipsec-nat-t-ike-02\\n",
        NatTVersion.Draft02 => "draft-ietf-ipsec-nat-t-ike-02",
        _ => "none",
    };

    public static bool UsesDraftPayloads(this NatTVersion version) => version is not (NatTVersion.Rfc3947 or NatTVersion.None);

    public static PayloadType NatDiscoveryType(this NatTVersion version) =>
        version.UsesDraftPayloads() ? PayloadType.NatDiscoveryDraft : PayloadType.NatDiscovery;

    public static PayloadType NatOriginalAddressType(this NatTVersion version) =>
        version.UsesDraftPayloads() ? PayloadType.NatOriginalAddressDraft : PayloadType.NatOriginalAddress;

    /// <summary>The quick-mode Encapsulation Mode for a UDP-encapsulated tunnel or transport SA in this dialect.</summary>
    public static EncapsulationMode UdpMode(this NatTVersion version, bool tunnel) => version.UsesDraftPayloads()
        ? tunnel ? EncapsulationMode.UdpTunnelDraft : EncapsulationMode.UdpTransportDraft
        : tunnel ? EncapsulationMode.UdpTunnel : EncapsulationMode.UdpTransport;
}
