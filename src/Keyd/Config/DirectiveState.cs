namespace KernelIpsec.Keyd.Config;

/// <summary>How far this racoon honours one directive (or one value of it) of racoon 0.8.2's grammar.</summary>
public enum DirectiveState
{
    /// <summary>Behaves as in racoon.</summary>
    Works,

    /// <summary>Read, but this racoon does something else: a warning says what, where the directive is written.</summary>
    Warns,

    /// <summary>Refused with an error (racoon.conf --check fails, the daemon does not start).</summary>
    Refused,
}
