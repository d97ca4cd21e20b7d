namespace KernelIpsec.Netlink.Model;

/// <summary>
/// SA and template modes. The values are PF_KEY's (<c>IPSEC_MODE_*</c>, linux/ipsec.h); XFRM numbers
/// them one lower. <see cref="Any"/> is what setkey sends without <c>-m</c>: Linux installs it as transport.
/// </summary>
public enum IpsecMode : byte
{
    Any = 0,
    Transport = 1,
    Tunnel = 2,
    Beet = 3,
}
