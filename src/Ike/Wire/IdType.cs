namespace KernelIpsec.Ike.Wire;

/// <summary>IPsec DOI identification types (RFC 2407 §4.6.2.1).</summary>
public enum IdType : byte
{
    Ipv4Address = 1,
    Fqdn = 2,
    UserFqdn = 3,
    Ipv4Subnet = 4,
    Ipv6Address = 5,
    Ipv6Subnet = 6,
    Ipv4Range = 7,
    Ipv6Range = 8,
    DerAsn1Dn = 9,
    DerAsn1Gn = 10,
    KeyId = 11,
}
