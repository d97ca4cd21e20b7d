namespace KernelIpsec.Netlink.Model;

/// <summary>The IPsec protocols; the values are the IP protocol numbers (what XFRM carries).</summary>
public enum IpsecProtocol : byte
{
    Esp = 50,
    Ah = 51,
    IpComp = 108,
}
