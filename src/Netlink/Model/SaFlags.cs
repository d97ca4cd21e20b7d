namespace KernelIpsec.Netlink.Model;

/// <summary>
/// SA flags as Linux knows them: the low byte is <c>xfrm_usersa_info.flags</c> (<c>XFRM_STATE_*</c>),
/// bits 16 and up are <c>XFRMA_SA_EXTRA_FLAGS</c> (<c>XFRM_SA_XFLAG_*</c>) shifted by 16.
/// </summary>
[Flags]
public enum SaFlags : uint
{
    None = 0,
    NoEcn = 1,
    DecapDscp = 2,
    NoPmtuDiscovery = 4,
    WildcardReceive = 8,
    Icmp = 16,
    AfUnspec = 32,
    Align4 = 64,
    Esn = 128,
    DontEncapDscp = 1 << 16,
    OutputSequenceMayWrap = 2 << 16,
}
