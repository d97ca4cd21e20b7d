namespace KernelIpsec.Ike.Config;

/// <summary>Kinds of phase 2 identities (`sainfo` ids and the IDci/IDcr a peer sends).</summary>
public enum SainfoIdKind
{
    /// <summary>A single address (ID_IPV4_ADDR / ID_IPV6_ADDR).</summary>
    Address,
    /// <summary>Address and prefix length (ID_IPV4_ADDR_SUBNET / ID_IPV6_ADDR_SUBNET).</summary>
    Subnet,
    /// <summary>`addr-addr` (ID_IPV4_ADDR_RANGE / ID_IPV6_ADDR_RANGE).</summary>
    Range,
    Fqdn,
    UserFqdn,
    KeyId,
}
