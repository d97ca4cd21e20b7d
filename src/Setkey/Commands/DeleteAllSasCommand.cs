using System.Net;
using KernelIpsec.Netlink.Model;
using KernelIpsec.Setkey.Parsing.Ast;

namespace KernelIpsec.Setkey.Commands;

/// <summary><c>deleteall src dst protocol</c>: every SA between the two addresses (setkey on Linux: dump, then one delete per SPI).</summary>
public sealed record DeleteAllSasCommand(SourcePosition Position, IPAddress Source, IPAddress Destination, IpsecProtocol Protocol) : KernelCommand(Position)
{
    public override bool Changes => true;

    public override async Task ExecuteAsync(CommandContext context)
    {
        var ct = context.CancellationToken;
        var all = await context.Kernel.DumpSasAsync(ct).ConfigureAwait(false);
        foreach (var sa in all.Where(s => s.Id.Protocol == Protocol && s.Id.Source.Equals(Source) && s.Id.Destination.Equals(Destination)))
        {
            await context.Kernel.DeleteSaAsync(sa.Id, ct).ConfigureAwait(false);
            var removed = sa with { Current = null };
            context.Journal?.Record($"re-add SA {sa.Id}", (k, c) => k.AddSaAsync(removed, c));
        }
    }
}
