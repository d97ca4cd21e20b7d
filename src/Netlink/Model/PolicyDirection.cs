namespace KernelIpsec.Netlink.Model;

/// <summary>Policy direction; the values are XFRM's (<c>XFRM_POLICY_IN/OUT/FWD</c>). PF_KEY uses value + 1.</summary>
public enum PolicyDirection : byte
{
    In = 0,
    Out = 1,
    Fwd = 2,
}
