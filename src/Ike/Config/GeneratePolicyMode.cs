namespace KernelIpsec.Ike.Config;

/// <summary>`generate_policy off | on | require | unique`: responder-side policy installation.</summary>
public enum GeneratePolicyMode
{
    Off,
    /// <summary>`on` and `require` both install level-require policies.</summary>
    On,
    Require,
    /// <summary>Level unique with a reqid from a counter.</summary>
    Unique,
}
