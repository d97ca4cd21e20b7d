using KernelIpsec.Ike.Config;
using KernelIpsec.Keyd.Config;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>psk.txt: line endings, racoon --check's warnings, the table and a lookup of each identity it holds.</summary>
public sealed class PskFileTarget : IFuzzTarget
{
    public string Name => "psk";

    public void Run(ReadOnlySpan<byte> input)
    {
        var content = PreSharedKeyFile.WithoutCarriageReturns(input.ToArray());
        _ = PreSharedKeyFile.TrailingBlankWarnings(content);
        var table = PreSharedKeyTable.Parse(content);
        foreach (var entry in table.Entries)
        {
            _ = table.Find(entry.Identity);
        }
        _ = table.Find("10.77.0.1");
    }
}
