namespace KernelIpsec.Ike.Sa;

/// <summary>The IPsec protocol of an SA, numbered as the IPsec DOI's protocol ids (RFC 2407 4.4.1).</summary>
public enum IpsecSaProtocol : byte
{
    Ah = 2,
    Esp = 3,
    IpComp = 4,
}
