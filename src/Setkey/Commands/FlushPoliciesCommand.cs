using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>spdflush</c>.</summary>
public sealed record FlushPoliciesCommand(SourcePosition Position) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var ct = context.CancellationToken;
        var before = context.Journal is null ? [] : await context.Kernel.DumpPoliciesAsync(ct).ConfigureAwait(false);
        await context.Kernel.FlushPoliciesAsync(ct).ConfigureAwait(false);
        if (context.Journal is { } journal)
        {
            foreach (var policy in before)
            {
                var removed = policy with { Current = null };
                journal.Record($"re-add policy {policy.Id}", (k, c) => k.AddPolicyAsync(removed, c));
            }
        }
    }
}
