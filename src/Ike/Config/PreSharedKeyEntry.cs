namespace KernelIpsec.Ike.Config;

/// <summary>One psk.txt line: `identity key` (line is 1-based).</summary>
public sealed record PreSharedKeyEntry(string Identity, byte[] Key, int Line)
{
    /// <summary>The Debian `*` entry matches every lookup.</summary>
    public bool IsWildcard => Identity == "*";
}
