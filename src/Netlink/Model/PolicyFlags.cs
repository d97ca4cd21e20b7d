namespace KernelIpsec.Netlink.Model;

/// <summary>Policy flags (<c>XFRM_POLICY_LOCALOK</c>, <c>XFRM_POLICY_ICMP</c>).</summary>
[Flags]
public enum PolicyFlags : byte
{
    None = 0,
    LocalOk = 1,
    Icmp = 2,
}
