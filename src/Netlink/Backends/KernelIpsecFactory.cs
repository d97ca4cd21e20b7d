using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Netlink.Backends;

/// <summary>
/// The one table of kernel interface names (setkey's and racoon's <c>--kernel</c>, racoon.conf's <c>kernel</c>
/// statement, the environment variable <see cref="EnvironmentVariable"/>) and the opener of the backend a tool was
/// asked for. Both backends give the same results through <see cref="IKernelIpsec"/>.
/// </summary>
public static class KernelIpsecFactory
{
    public const string EnvironmentVariable = "KERNELIPSEC_KERNEL";

    public const string Xfrm = "xfrm";

    public const string PfKey = "pfkey";

    public const string Default = Xfrm;

    /// <summary>The canonical names, default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [Xfrm, PfKey];

    /// <summary>The canonical names as a user is told them: "xfrm or pfkey".</summary>
    public static string NameList { get; } = string.Join(" or ", Names);

    /// <summary>xfrm or pfkey for a name a user may write (also netlink, pf_key, pf-key; any case), null for anything else.</summary>
    public static string? Canonical(string? name) => name?.ToLowerInvariant() switch
    {
        "xfrm" or "netlink" => Xfrm,
        "pfkey" or "pf_key" or "pf-key" => PfKey,
        _ => null,
    };

    /// <summary>What a canonical name stands for, as messages name it: "XFRM netlink", "PF_KEY".</summary>
    public static string Describe(string canonical) => canonical switch
    {
        Xfrm => "XFRM netlink",
        PfKey => "PF_KEY",
        _ => throw new ArgumentException(UnknownName(canonical), nameof(canonical)),
    };

    /// <summary>The complaint about a name that is none of ours: "unknown kernel interface 'bsd' (use xfrm or pfkey)".</summary>
    public static string UnknownName(string name) => $"unknown kernel interface '{name}' (use {NameList})";

    /// <summary>The backend name to use: the flag's, else the environment's, else <see cref="Default"/>; canonical and lower case.</summary>
    public static string Choose(string? fromFlag, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var name = fromFlag is { Length: > 0 } ? fromFlag : environment(EnvironmentVariable) is { Length: > 0 } e ? e : Default;
        return Canonical(name) ?? throw new ArgumentException(UnknownName(name));
    }

    /// <summary>
    /// Opens the named backend in the calling thread's network namespace. PF_KEY on a kernel without af_key throws
    /// <see cref="PlatformNotSupportedException"/> ("PF_KEY not available: load af_key or use --kernel xfrm").
    /// </summary>
    public static IKernelIpsec Create(string name, ILogger? logger = null) => Canonical(name) switch
    {
        Xfrm => XfrmKernel.Open(logger),
        PfKey => PfKeyKernel.Open(logger),
        _ => throw new ArgumentException(UnknownName(name), nameof(name)),
    };

    /// <summary>As <see cref="Create(string, ILogger?)"/>, logging under the backend's namespace (KernelIpsec.Netlink.Xfrm, KernelIpsec.Netlink.PfKey).</summary>
    public static IKernelIpsec Create(string name, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return Canonical(name) switch
        {
            Xfrm => XfrmKernel.Open(loggers.CreateLogger(typeof(XfrmKernel).Namespace!)),
            PfKey => PfKeyKernel.Open(loggers.CreateLogger(typeof(PfKeyKernel).Namespace!)),
            _ => throw new ArgumentException(UnknownName(name), nameof(name)),
        };
    }
}
