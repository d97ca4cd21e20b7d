using KernelIpsec.Netlink.PfKey;
using KernelIpsec.Netlink.Xfrm;
using Microsoft.Extensions.Logging;

namespace KernelIpsec.Netlink;

/// <summary>
/// Opens the kernel backend a tool was asked for: <c>--kernel xfrm|pfkey</c>, else the environment variable
/// <see cref="EnvironmentVariable"/>, else XFRM. Both backends give the same results through <see cref="IKernelIpsec"/>.
/// </summary>
public static class KernelIpsecFactory
{
    public const string EnvironmentVariable = "KERNELIPSEC_KERNEL";

    public const string Default = "xfrm";

    /// <summary>The accepted names, canonical first: xfrm (also netlink) and pfkey (also pf_key).</summary>
    public static IReadOnlyList<string> Names { get; } = ["xfrm", "pfkey"];

    /// <summary>The backend name to use: the flag's, else the environment's, else <see cref="Default"/>; canonical and lower case.</summary>
    public static string Choose(string? fromFlag, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var name = fromFlag is { Length: > 0 } ? fromFlag : environment(EnvironmentVariable) is { Length: > 0 } e ? e : Default;
        return Canonical(name) ?? throw new ArgumentException($"unknown kernel interface '{name}' (use xfrm or pfkey)");
    }

    /// <summary>xfrm or pfkey for a name a user may write, null for anything else.</summary>
    public static string? Canonical(string name) => name?.ToLowerInvariant() switch
    {
        "xfrm" or "netlink" => "xfrm",
        "pfkey" or "pf_key" or "pf-key" => "pfkey",
        _ => null,
    };

    /// <summary>
    /// Opens the named backend in the calling thread's network namespace. PF_KEY on a kernel without af_key throws
    /// <see cref="PlatformNotSupportedException"/> ("PF_KEY not available: load af_key or use --kernel xfrm").
    /// </summary>
    public static IKernelIpsec Create(string name, ILogger? logger = null) => Canonical(name) switch
    {
        "xfrm" => XfrmKernel.Open(logger),
        "pfkey" => PfKeyKernel.Open(logger),
        _ => throw new ArgumentException($"unknown kernel interface '{name}' (use xfrm or pfkey)", nameof(name)),
    };
}
