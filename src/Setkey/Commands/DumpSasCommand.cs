using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>dump [protocol]</c>: the SAD in the <c>-D</c> format.</summary>
public sealed record DumpSasCommand(SourcePosition Position, IpsecProtocol? Protocol) : KernelCommand(Position)
{
    public override bool Changes => false;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var all = await context.Kernel.DumpSasAsync(context.CancellationToken).ConfigureAwait(false);
        if (context.PrintResults)
            context.Output.Write(context.Formatter.FormatSas([.. all.Where(s => Protocol is null || s.Id.Protocol == Protocol)]));
    }
}
