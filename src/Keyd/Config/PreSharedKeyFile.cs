using KernelIpsec.Ike.Config;

namespace KernelIpsec.Keyd.Config;

/// <summary>
/// psk.txt as racoon uses it: checked (owner, mode, file type) and re-read on every lookup, so edits
/// apply without a reload. A file that fails the check gives no keys; <see cref="LastProblem"/> says why
/// and how to fix it, and the daemon logs it (never the key).
/// </summary>
public sealed class PreSharedKeyFile(string path) : IPreSharedKeyStore
{
    public string Path { get; } = path;

    /// <summary>Why the last lookup could not read the file, or null.</summary>
    public string? LastProblem { get; private set; }

    public byte[]? Find(string identity)
    {
        var table = TryLoad(Path, out var problem);
        LastProblem = problem;
        return table?.Find(identity);
    }

    /// <summary>Checks and parses the file; null with <paramref name="problem"/> when racoon would refuse it.</summary>
    public static PreSharedKeyTable? TryLoad(string path, out string? problem)
    {
        problem = FileSecurity.CheckSecretFile(path);
        if (problem is not null)
        {
            problem = $"failed to open pre_share_key file {path}: {problem}";
            return null;
        }
        try
        {
            return PreSharedKeyTable.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"failed to open pre_share_key file {path}: {e.Message}";
            return null;
        }
    }
}
