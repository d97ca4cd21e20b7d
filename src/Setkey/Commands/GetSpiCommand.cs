using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>getspi</c>: reserves an SPI (a larval SA); spi 0 lets the kernel choose.</summary>
public sealed record GetSpiCommand(SourcePosition Position, SpiRequest Request) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var spi = await context.Kernel.AllocateSpiAsync(Request, context.CancellationToken).ConfigureAwait(false);
        var id = new SaId(Request.Source, Request.Destination, Request.Protocol, spi);
        context.Journal?.Record($"delete larval SA {id}", (k, c) => k.DeleteSaAsync(id, c));
    }
}
