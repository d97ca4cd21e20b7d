using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>add</c> (EEXIST if present) or <c>update</c> (ESRCH if absent) of one SA.</summary>
public sealed record AddSaCommand(SourcePosition Position, SecurityAssociation Sa, bool Update) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var ct = context.CancellationToken;
        if (Update)
        {
            var before = context.Journal is null ? null : await context.Kernel.GetSaAsync(Sa.Id, ct).ConfigureAwait(false);
            await context.Kernel.UpdateSaAsync(Sa, ct).ConfigureAwait(false);
            if (before is not null)
                context.Journal!.Record($"restore SA {Sa.Id}", (k, c) => k.UpdateSaAsync(before with { Current = null }, c));
        }
        else
        {
            await context.Kernel.AddSaAsync(Sa, ct).ConfigureAwait(false);
            context.Journal?.Record($"delete SA {Sa.Id}", (k, c) => k.DeleteSaAsync(Sa.Id, c));
        }
    }
}
