using System.Text;
using KernelIpsec.Keyd.Config;

namespace KernelIpsec.Fuzz.Targets;

/// <summary>racoon.conf: the grammar, the builder and the binders of remote and sainfo (includes not followed).</summary>
public sealed class RacoonConfTarget : IFuzzTarget
{
    public string Name => "racoon-conf";

    public void Run(ReadOnlySpan<byte> input)
    {
        var result = RacoonConfLoader.ReadTextWithoutIncludes(Encoding.UTF8.GetString(input));
        foreach (var d in result.Diagnostics)
        {
            _ = d.ToString();
        }
    }
}
