namespace KernelIpsec.Tests.Infrastructure;

/// <summary>Which side of a <see cref="NetnsPair"/> sits behind the masquerading natbox namespace.</summary>
public enum NatSide
{
    /// <summary>left 10.77.0.1 and right 10.77.0.2 on one link.</summary>
    None,

    /// <summary>Topology `nat`: left 10.77.3.1 behind natbox, seen by right as 10.77.0.3; right can only answer.</summary>
    Left,

    /// <summary>Topology `natr`: right 10.77.4.2 behind natbox, which forwards UDP 500 and 4500 at 10.77.0.3 to it.</summary>
    Right,
}
