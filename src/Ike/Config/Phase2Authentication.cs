namespace KernelIpsec.Ike.Config;

/// <summary>`sainfo { authentication_algorithm }`; values are the IPsec DOI authentication attribute numbers.</summary>
public enum Phase2Authentication
{
    /// <summary>`non_auth`: ESP without integrity.</summary>
    None = 0,
    HmacMd5 = 1,
    HmacSha1 = 2,
    DesMac = 3,
    Kpdk = 4,
    HmacSha256 = 5,
    HmacSha384 = 6,
    HmacSha512 = 7,
}
