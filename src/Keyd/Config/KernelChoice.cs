using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Backends;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// The kernel interface racoon drives and who chose it. Precedence: `--kernel` on the command line, then the
/// environment variable KERNELIPSEC_KERNEL, then racoon.conf's `kernel` statement (a KernelIpsec extension),
/// then the default, XFRM. Names and aliases are <see cref="KernelIpsecFactory"/>'s, the one table of them.
/// </summary>
/// <param name="Source">Where the choice came from, as a user reads it: `--kernel`, `KERNELIPSEC_KERNEL`, `FILE:LINE:COL` or `default`.</param>
public sealed record KernelChoice(KernelInterface Interface, string Source)
{
    public static readonly KernelChoice Default = new(KernelInterface.Xfrm, "default");

    /// <summary>The environment variable that chooses when `--kernel` does not.</summary>
    public const string EnvironmentVariable = KernelIpsecFactory.EnvironmentVariable;

    /// <summary>The canonical names as a user is told them: "xfrm or pfkey".</summary>
    public static string NameList => KernelIpsecFactory.NameList;

    /// <summary>Every canonical name with its interface, for the `kernel` statement's grammar.</summary>
    public static IReadOnlyDictionary<string, KernelInterface> Names { get; } =
        KernelIpsecFactory.Names.ToDictionary(n => n, n => TryParse(n, out var kernel) ? kernel : throw new InvalidOperationException(n));

    /// <param name="commandLine">From `--kernel` or the environment, or null.</param>
    /// <param name="configuration">From racoon.conf's `kernel` statement, or null.</param>
    public static KernelChoice Resolve(KernelChoice? commandLine, KernelChoice? configuration) =>
        commandLine ?? configuration ?? Default;

    /// <summary>The keyword of the `kernel` statement and the `--kernel` value.</summary>
    public static string Keyword(KernelInterface kernel) => kernel == KernelInterface.PfKey ? KernelIpsecFactory.PfKey : KernelIpsecFactory.Xfrm;

    /// <summary>A name a user may write (aliases and any case included); false for anything else.</summary>
    public static bool TryParse(string text, out KernelInterface kernel)
    {
        switch (KernelIpsecFactory.Canonical(text))
        {
            case KernelIpsecFactory.Xfrm:
                kernel = KernelInterface.Xfrm;
                return true;
            case KernelIpsecFactory.PfKey:
                kernel = KernelInterface.PfKey;
                return true;
            default:
                kernel = default;
                return false;
        }
    }

    public override string ToString() => $"{Keyword(Interface)} (from {Source})";
}
