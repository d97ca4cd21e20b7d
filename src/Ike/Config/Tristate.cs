namespace KernelIpsec.Ike.Config;

/// <summary>The `on | off | force` switches (`nat_traversal`, `ike_frag`, `rekey`).</summary>
public enum Tristate
{
    Off,
    On,
    Force,
}
