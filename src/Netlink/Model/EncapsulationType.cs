namespace KernelIpsec.Netlink.Model;

/// <summary>UDP encapsulation of ESP (NAT traversal); values are <c>UDP_ENCAP_*</c> from linux/udp.h.</summary>
public enum EncapsulationType : ushort
{
    /// <summary>draft-ietf-ipsec-udp-encaps-00/01 with the 8-byte non-IKE marker.</summary>
    EspInUdpNonIke = 1,

    /// <summary>RFC 3948.</summary>
    EspInUdp = 2,
}
