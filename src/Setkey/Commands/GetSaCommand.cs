using KernelIpsec.Netlink;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>get</c>: prints the SA in the <c>-D</c> format.</summary>
public sealed record GetSaCommand(SourcePosition Position, SaId Id) : KernelCommand(Position)
{
    public override bool Changes => false;

    public override bool ReportsMissingAsNoEntry => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var sa = await context.Kernel.GetSaAsync(Id, context.CancellationToken).ConfigureAwait(false)
            ?? throw new KernelIpsecException("get SA", Id.ToString(), KernelErrno.ENOENT);
        if (context.PrintResults)
            context.Output.Write(context.Formatter.FormatSas([sa]));
    }
}
