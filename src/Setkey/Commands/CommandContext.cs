using KernelIpsec.Netlink;
using KernelIpsec.Setkey.Dump;

namespace KernelIpsec.Setkey.Commands;

/// <summary>What a command runs against: the kernel, where dumps go, and the undo journal of --atomic.</summary>
public sealed class CommandContext
{
    public CommandContext(IKernelIpsec kernel, TextWriter output, DumpFormatter formatter, UndoJournal? journal, bool printResults, CancellationToken cancellationToken)
    {
        Kernel = kernel;
        Output = output;
        Formatter = formatter;
        Journal = journal;
        PrintResults = printResults;
        CancellationToken = cancellationToken;
    }

    public IKernelIpsec Kernel { get; }

    public TextWriter Output { get; }

    public DumpFormatter Formatter { get; }

    /// <summary>Non-null with --atomic: each change records how to take it back.</summary>
    public UndoJournal? Journal { get; }

    /// <summary>False under -n: get and dump statements print nothing (setkey -n sends nothing).</summary>
    public bool PrintResults { get; }

    public CancellationToken CancellationToken { get; }
}
