using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>spdadd</c> (EEXIST if present) or <c>spdupdate</c> (installs or replaces) of one policy.</summary>
public sealed record AddPolicyCommand(SourcePosition Position, SecurityPolicy Policy, bool Update) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var ct = context.CancellationToken;
        var before = context.Journal is not null && Update ? await context.Kernel.GetPolicyAsync(Policy.Id, ct).ConfigureAwait(false) : null;
        if (Update)
            await context.Kernel.UpdatePolicyAsync(Policy, ct).ConfigureAwait(false);
        else
            await context.Kernel.AddPolicyAsync(Policy, ct).ConfigureAwait(false);
        if (context.Journal is { } journal)
        {
            if (before is not null)
                journal.Record($"restore policy {Policy.Id}", (k, c) => k.UpdatePolicyAsync(before with { Current = null }, c));
            else
                journal.Record($"delete policy {Policy.Id}", (k, c) => k.DeletePolicyAsync(Policy.Id, c));
        }
    }
}
