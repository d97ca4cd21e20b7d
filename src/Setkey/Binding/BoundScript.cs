using KernelIpsec.Setkey.Commands;
using KernelIpsec.Setkey.Parsing;

namespace KernelIpsec.Setkey.Binding;

/// <summary>The kernel commands of a script and the problems that keep it from being applied.</summary>
public sealed record BoundScript(IReadOnlyList<KernelCommand> Commands, IReadOnlyList<SetkeyScriptException> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
