using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>spddump</c>: the SPD in the <c>-DP</c> format.</summary>
public sealed record DumpPoliciesCommand(SourcePosition Position) : KernelCommand(Position)
{
    public override bool Changes => false;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var all = await context.Kernel.DumpPoliciesAsync(context.CancellationToken).ConfigureAwait(false);
        if (context.PrintResults)
            context.Output.Write(context.Formatter.FormatPolicies(all));
    }
}
