using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Backends;

namespace KernelIpsec.Setkey.Cli;

/// <summary>
/// The kernel interfaces this build can talk to, by their <c>--kernel</c> name (<see cref="KernelIpsecFactory"/>'s
/// table, aliases included). Adding a backend is one <see cref="Add"/> line in Program.cs; a known name without a
/// backend gets a clear message.
/// </summary>
public sealed class KernelBackends
{
    private readonly Dictionary<string, Func<IKernelIpsec>> factories = new(StringComparer.Ordinal);

    public KernelBackends Add(string name, Func<IKernelIpsec> open)
    {
        var canonical = KernelIpsecFactory.Canonical(name) ?? throw new ArgumentException(KernelIpsecFactory.UnknownName(name), nameof(name));
        factories[canonical] = open;
        return this;
    }

    /// <summary>Opens the named backend, or explains why it cannot.</summary>
    public bool TryOpen(string name, out IKernelIpsec? kernel, out string? problem)
    {
        kernel = null;
        problem = null;
        if (KernelIpsecFactory.Canonical(name) is not { } canonical)
        {
            problem = $"unknown kernel interface `{name}' (use {string.Join(" or ", KernelIpsecFactory.Names.Select(n => "--kernel " + n))})";
            return false;
        }
        if (!factories.TryGetValue(canonical, out var open))
        {
            problem = $"{KernelIpsecFactory.Describe(canonical)} backend not available in this build";
            return false;
        }
        kernel = open();
        return true;
    }
}
