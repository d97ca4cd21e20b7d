using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>flush [protocol]</c>.</summary>
public sealed record FlushSasCommand(SourcePosition Position, IpsecProtocol? Protocol) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var ct = context.CancellationToken;
        var before = context.Journal is null ? [] : await context.Kernel.DumpSasAsync(ct).ConfigureAwait(false);
        await context.Kernel.FlushSasAsync(Protocol, ct).ConfigureAwait(false);
        if (context.Journal is { } journal)
        {
            // Undo pops newest first: pushing in dump order (newest first) re-adds the oldest first, so the order comes back.
            foreach (var sa in before.Where(s => Protocol is null || s.Id.Protocol == Protocol))
            {
                var removed = sa with { Current = null };
                journal.Record($"re-add SA {sa.Id}", (k, c) => k.AddSaAsync(removed, c));
            }
        }
    }
}
