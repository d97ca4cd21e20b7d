namespace KernelIpsec.Keyd.Cli;

/// <summary>
/// The kernel interface racoon drives and who chose it. Precedence: `--kernel` on the command line, then the
/// environment variable KERNELIPSEC_KERNEL, then racoon.conf's `kernel` statement (a KernelIpsec extension),
/// then the default, XFRM.
/// </summary>
/// <param name="Source">Where the choice came from, as a user reads it: `--kernel`, `KERNELIPSEC_KERNEL`, `FILE:LINE:COL` or `default`.</param>
public sealed record KernelChoice(KernelInterface Interface, string Source)
{
    public static readonly KernelChoice Default = new(KernelInterface.Xfrm, "default");

    /// <param name="commandLine">From `--kernel` or the environment (<see cref="RacoonOptions.Kernel"/>), or null.</param>
    /// <param name="configuration">From racoon.conf's `kernel` statement, or null.</param>
    public static KernelChoice Resolve(KernelChoice? commandLine, KernelChoice? configuration) =>
        commandLine ?? configuration ?? Default;

    /// <summary>The keyword of the `kernel` statement and the `--kernel` value.</summary>
    public static string Keyword(KernelInterface kernel) => kernel == KernelInterface.PfKey ? "pfkey" : "xfrm";

    public override string ToString() => $"{Keyword(Interface)} (from {Source})";
}
