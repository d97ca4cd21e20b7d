using KernelIpsec.Ike.Sa;

namespace KernelIpsec.Ike.Engine;

/// <summary>A policy as the engine compares them: by its traffic selectors (racoon compares the SPD entry's selectors).</summary>
internal readonly record struct PolicyKey(TrafficSelector Local, TrafficSelector Remote)
{
    public static PolicyKey Of(IpsecPolicy policy) => new(policy.Local, policy.Remote);
}
