using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary>
/// One kernel operation a script statement stands for, fully checked: every model value in it has
/// been validated, so only the kernel can still refuse it. A statement may yield several
/// (an <c>in</c> policy and its <c>fwd</c> copy; one SA per resolved address pair).
/// </summary>
public abstract record KernelCommand(SourcePosition Position)
{
    /// <summary>True when the command changes the kernel (and so is skipped by -n and undone by --atomic).</summary>
    public abstract bool Changes { get; }

    /// <summary>Carries the command out; kernel refusals surface as <see cref="Netlink.KernelIpsecException"/>.</summary>
    public abstract Task ExecuteAsync(CommandContext context);

    /// <summary>For not-found refusals: setkey prints "No entry." for lookups and deletions.</summary>
    public virtual bool ReportsMissingAsNoEntry => false;
}
