using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Privileges;

/// <summary>One capability racoon keeps and why.</summary>
public sealed record KeptCapability(Capability Capability, string Reason)
{
    public string Name => "cap_" + Capability switch
    {
        Capability.NetBindService => "net_bind_service",
        Capability.NetAdmin => "net_admin",
        Capability.NetRaw => "net_raw",
        Capability.AuditWrite => "audit_write",
        _ => Capability.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// What a root racoon keeps of root's capabilities for the configuration it starts with. Everything else
/// (CAP_DAC_OVERRIDE, CAP_SYS_ADMIN, CAP_SYS_MODULE, ...) goes before the daemon opens anything: its files
/// (racoon.conf, psk.txt, certificates, pid file, backupsa, /var/racoon) are root's own, which root reads and
/// writes as their owner without CAP_DAC_OVERRIDE. `script` hooks run as root with the same set.
/// </summary>
public static class CapabilityPlan
{
    public static IReadOnlyList<KeptCapability> For(RacoonConfig config)
    {
        var kept = new List<KeptCapability>
        {
            new(Capability.NetAdmin, "XFRM/PF_KEY requests and the per-socket IPsec bypass policy"),
            // Also after start: a SIGHUP with new `listen` addresses or a new local address binds again.
            new(Capability.NetBindService, "binding UDP 500/4500 at start, on reload and for new addresses"),
        };
        if (!config.Listen.AdminSocket.Disabled && !OwnedByRoot(config.Listen.AdminSocket))
            kept.Add(new(Capability.Chown, $"giving the admin socket to {config.Listen.AdminSocket.Owner}:{config.Listen.AdminSocket.Group}"));
        if (config.Remotes.Any(r => r.Scripts.Count > 0))
            kept.Add(new(Capability.NetRaw, "`script` hooks (they run with racoon's capabilities; iptables needs a raw socket)"));
        if (config.ModeConfig?.AuthSource == "pam")
            kept.Add(new(Capability.AuditWrite, "PAM's audit records for XAUTH logins"));
        return kept;
    }

    public static ulong Mask(IEnumerable<KeptCapability> kept) => kept.Aggregate(0UL, (mask, k) => mask | (1UL << (int)k.Capability));

    private static bool OwnedByRoot(AdminSocketConfig socket)
    {
        try
        {
            return Admin.AdminServer.ResolveId(socket.Owner, "/etc/passwd") == 0 && Admin.AdminServer.ResolveId(socket.Group, "/etc/group") == 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            // An unknown name fails later with its own message; keep what chown would need.
            return false;
        }
    }
}
