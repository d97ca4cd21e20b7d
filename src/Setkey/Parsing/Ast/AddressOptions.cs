using System.Net.Sockets;

namespace KernelIpsec.Setkey.Parsing.Ast;

/// <summary>
/// The <c>-4</c>/<c>-6</c>/<c>-n</c> flags before the addresses of a command (they may be combined,
/// <c>-6n</c>; the last family wins).
/// </summary>
public sealed record AddressOptions(IReadOnlyList<Lexeme> Flags)
{
    public static AddressOptions None { get; } = new(Array.Empty<Lexeme>());

    /// <summary>The family the addresses must have, or <see cref="AddressFamily.Unspecified"/>.</summary>
    public AddressFamily Family
    {
        get
        {
            var family = AddressFamily.Unspecified;
            foreach (var flag in Flags)
            {
                foreach (var c in flag.Text.AsSpan(1))
                {
                    if (c == '4')
                        family = AddressFamily.InterNetwork;
                    else if (c == '6')
                        family = AddressFamily.InterNetworkV6;
                }
            }

            return family;
        }
    }

    /// <summary>-n: addresses must be numeric (no name lookup).</summary>
    public bool NumericOnly => Flags.Any(f => f.Text.Contains('n', StringComparison.Ordinal));
}
