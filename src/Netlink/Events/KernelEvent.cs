namespace KernelIpsec.Netlink.Events;

/// <summary>Something the kernel announced on its IPsec event channel (XFRM multicast groups or PF_KEY broadcasts).</summary>
public abstract record KernelEvent;
