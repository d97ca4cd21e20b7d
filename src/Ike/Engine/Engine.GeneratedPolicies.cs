using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Engine;

// generate_policy: the policies a responder generated go with the last of their SAs.
public sealed partial class Engine
{
    /// <summary>Call after <paramref name="entry"/> left the installed table.</summary>
    private void ReleaseGeneratedPolicy(InstalledSa entry)
    {
        if (installed.ForPolicy(entry.Policy).Count == 0 && s.GeneratedPolicies.Remove(entry.Policy))
        {
            Emit(new DeletePolicy(entry.Policy));
        }
    }
}
