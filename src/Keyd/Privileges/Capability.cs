namespace KernelIpsec.Keyd.Privileges;

/// <summary>The Linux capabilities racoon may keep (numbers of linux/capability.h).</summary>
public enum Capability
{
    Chown = 0,
    NetBindService = 10,
    NetAdmin = 12,
    NetRaw = 13,
    AuditWrite = 29,
}
