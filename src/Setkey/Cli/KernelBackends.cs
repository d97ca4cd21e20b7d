using KernelIpsec.Netlink;

namespace KernelIpsec.Setkey.Cli;

/// <summary>
/// The kernel interfaces this build can talk to, by their <c>--kernel</c> name. Adding a backend is
/// one <see cref="Add"/> line in Program.cs; a known name without a backend gets a clear message.
/// </summary>
public sealed class KernelBackends
{
    /// <summary>Every name <c>--kernel</c> accepts, with what it means.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["xfrm"] = "XFRM netlink",
        ["pfkey"] = "PF_KEY",
    };

    private readonly Dictionary<string, Func<IKernelIpsec>> factories = new(StringComparer.Ordinal);

    public KernelBackends Add(string name, Func<IKernelIpsec> open)
    {
        if (!KnownNames.ContainsKey(name))
            throw new ArgumentException($"unknown kernel interface '{name}'", nameof(name));
        factories[name] = open;
        return this;
    }

    /// <summary>Opens the named backend, or explains why it cannot.</summary>
    public bool TryOpen(string name, out IKernelIpsec? kernel, out string? problem)
    {
        kernel = null;
        problem = null;
        if (!KnownNames.TryGetValue(name, out var description))
        {
            problem = $"unknown kernel interface `{name}' (use --kernel xfrm or --kernel pfkey)";
            return false;
        }
        if (!factories.TryGetValue(name, out var open))
        {
            problem = $"{description} backend not available in this build";
            return false;
        }
        kernel = open();
        return true;
    }
}
