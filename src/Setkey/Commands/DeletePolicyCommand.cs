using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>spddelete</c>: selector, direction and context name the policy.</summary>
public sealed record DeletePolicyCommand(SourcePosition Position, PolicyId Id) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override bool ReportsMissingAsNoEntry => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var ct = context.CancellationToken;
        var before = context.Journal is null ? null : await context.Kernel.GetPolicyAsync(Id, ct).ConfigureAwait(false);
        await context.Kernel.DeletePolicyAsync(Id, ct).ConfigureAwait(false);
        if (before is not null)
            context.Journal!.Record($"re-add policy {Id}", (k, c) => k.AddPolicyAsync(before with { Current = null }, c));
    }
}
