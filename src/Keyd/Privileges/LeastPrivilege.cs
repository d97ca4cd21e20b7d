using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Privileges;

/// <summary>What start-up did about capabilities, for the log: a line, and whether it is a warning.</summary>
public sealed record PrivilegeOutcome(string Message, bool Failed);

/// <summary>
/// racoon's start-up step that leaves root with only <see cref="CapabilityPlan.For"/>: runs before the daemon
/// opens its log, sockets or the kernel, and executes racoon again when there is anything to drop (the second
/// run finds the bounding set already small and goes on). Not for `-Z` (no kernel) or a non-root racoon.
/// </summary>
public static class LeastPrivilege
{
    public static PrivilegeOutcome? Apply(RacoonConfig config, bool localTestMode)
    {
        if (localTestMode || Config.FileSecurity.EffectiveUid != 0)
            return null;
        var kept = CapabilityPlan.For(config);
        var mask = CapabilityPlan.Mask(kept);
        if (ProcessCapabilities.HoldsMoreThan(mask))
        {
            var failure = ProcessCapabilities.ReduceAndReexecute(mask);
            return new($"could not drop capabilities, running with root's: {failure}", Failed: true);
        }
        var effective = ProcessCapabilities.Read("/proc/self/status", "CapEff");
        return new("capabilities: " + string.Join(", ", kept.Where(k => (effective & (1UL << (int)k.Capability)) != 0).Select(k => $"{k.Name} ({k.Reason})"))
            + (effective == 0 ? "none" : ""), Failed: false);
    }
}
