using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>delete</c>: removes one SA.</summary>
public sealed record DeleteSaCommand(SourcePosition Position, SaId Id) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override bool ReportsMissingAsNoEntry => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var ct = context.CancellationToken;
        var before = context.Journal is null ? null : await context.Kernel.GetSaAsync(Id, ct).ConfigureAwait(false);
        await context.Kernel.DeleteSaAsync(Id, ct).ConfigureAwait(false);
        if (before is not null)
            context.Journal!.Record($"re-add SA {Id}", (k, c) => k.AddSaAsync(before with { Current = null }, c));
    }
}
