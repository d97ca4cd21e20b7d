using System.Text.RegularExpressions;

namespace KernelIpsec.Tests.Packaging;

/// <summary>
/// Recognises the foundation's stand-in binaries (src/*/Program.cs before the real tools
/// land), which print one version line whatever they are asked. Package tests that need a
/// tool's real behaviour are skipped, with this reason, while it is still the stand-in.
/// </summary>
public static partial class PlaceholderTool
{
    public static bool Answered(Command.Result result) => StandIn().IsMatch(result.StdOut) && result.StdErr.Length == 0;

    public static string Reason(string tool) =>
        $"artifacts/bin/{tool} is still the foundation's stand-in (it only prints its version line): " +
        "this check runs once the real tool is merged";

    [GeneratedRegex(@"\A(setkey|racoon|racoonctl) @\(#\) KernelIpsec[^\n]*\n?\z")]
    private static partial Regex StandIn();
}
