using KernelIpsec.Netlink.Backends;
namespace KernelIpsec.Keyd.Config;

/// <summary>
/// Which kernel key-management interface the daemon drives (`--kernel`, env KERNELIPSEC_KERNEL, racoon.conf's
/// `kernel`); the names are <see cref="Netlink.KernelIpsecFactory"/>'s (<see cref="KernelChoice.Keyword"/>).
/// </summary>
public enum KernelInterface
{
    /// <summary>NETLINK_XFRM: the default; installs SHA-2 ICVs with RFC 4868 truncation.</summary>
    Xfrm,

    /// <summary>PF_KEY v2, as ipsec-tools' racoon used it.</summary>
    PfKey,
}
