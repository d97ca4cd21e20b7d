namespace KernelIpsec.Netlink.Model;

/// <summary>
/// What a policy does with matching traffic (XFRM <c>XFRM_POLICY_ALLOW/BLOCK</c>). setkey's
/// <c>ipsec</c> is <see cref="Allow"/> with templates, <c>none</c> is <see cref="Allow"/> without,
/// <c>discard</c> is <see cref="Block"/>.
/// </summary>
public enum PolicyAction : byte
{
    Allow = 0,
    Block = 1,
}
